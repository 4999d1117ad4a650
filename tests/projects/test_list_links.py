"""The project list writes its sort, state and export links from a path built once: each must
be the address url_for writes for the same arguments (what a click on it opens)."""

import pytest
from flask import url_for
from werkzeug.datastructures import MultiDict

from twinflow.projects.list_rows import list_address

ARGS = [
    {},
    {"sort": "budget", "dir": "asc", "page": 1},
    {"q": "Justice & Home affairs", "state": "call_open", "page": 3},
    {"q": "réforme pénitentiaire 100% «neuf»", "member_state": "FR"},
    {"q": "a+b=c?d/e:f;g@h!i$j'k(l)m*n,o#p", "year_from": 2020, "empty": None},
    MultiDict([("sector", "JH"), ("sector", "PA"), ("page", "2")]),
]


@pytest.mark.parametrize("args", ARGS)
def test_list_links_are_the_addresses_url_for_writes(app, args):
    with app.test_request_context("/projects"):
        assert list_address("web_projects.index")(args) == url_for(
            "web_projects.index",
            **args.to_dict(flat=False) if isinstance(args, MultiDict) else args,
        )
        for file_format in ("csv", "xlsx"):
            written = list_address("web_projects.export", file_format=file_format)(args)
            plain = args.to_dict(flat=False) if isinstance(args, MultiDict) else args
            assert written == url_for("web_projects.export", file_format=file_format, **plain)
