"""Every text of the app has its French, and no translation loses or invents a placeholder."""

from twinflow.i18n import gettext, speaking
from twinflow.i18n.check import (
    conflicting_translations,
    extracted,
    placeholder_mismatches,
    untranslated,
)


def test_every_text_marked_for_translation_has_a_french_translation():
    missing = untranslated("fr")
    listed = "\n".join(f"{t.msgid!r} ({t.places[0]})" for t in missing[:40])
    assert not missing, f"{len(missing)} text(s) without French, e.g.:\n{listed}"


def test_no_french_translation_drops_or_invents_a_placeholder():
    assert placeholder_mismatches("fr") == []


def test_the_same_english_text_reads_the_same_in_french_everywhere():
    assert conflicting_translations("fr") == {}


def test_the_shared_layout_is_marked_for_translation():
    assert "Sign out" in extracted()


def test_the_engine_reads_in_the_language_of_the_request_and_in_english_outside_one():
    assert gettext("Projects") == "Projects"
    with speaking("fr"):
        assert gettext("Projects") == "Projets"
        with speaking("de"):  # not offered: English
            assert gettext("Projects") == "Projects"
    assert gettext("Projects") == "Projects"
