"""Widgets that write WTForms' HTML directly (twinflow/web/forms.py) write exactly its HTML."""

import pytest
from markupsafe import Markup
from wtforms import Form, HiddenField
from wtforms.widgets import HiddenInput

from twinflow.web.forms import QUICK_HIDDEN


class _Hidden(Form):
    version = HiddenField()
    seen = HiddenField(render_kw={"data-testid": "seen"})


@pytest.mark.parametrize(
    "value", [None, "", "12", 'a "quoted" <b>value</b> & more', Markup('made "safe"'), 7]
)
def test_a_hidden_field_is_written_as_wtforms_writes_it(value):
    form = _Hidden(prefix="approve_fiche", version=value)
    assert str(QUICK_HIDDEN(form.version)) == str(HiddenInput()(form.version))


def test_a_hidden_field_with_its_own_attributes_is_written_by_wtforms_itself():
    form = _Hidden(seen="3")
    form.seen.flags.disabled = True
    written = str(QUICK_HIDDEN(form.seen, **form.seen.render_kw))
    assert written == str(HiddenInput()(form.seen, **form.seen.render_kw))
    assert 'data-testid="seen"' in written and "disabled" in written
