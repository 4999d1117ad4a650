"""The command line holds what is typed to the same rule as the API and the pages: a control
character is a usage error naming the option, and nothing is stored."""

import pytest
from sqlalchemy import func, select

from twinflow.auth.models import User

GOOD = {
    "EMAIL": "ms@example.eu",
    "--password": "long enough password",
    "--role": "member_state",
    "--organisation": "Bundesamt",
    "--country": "DE",
    "--name": "Anna Schmidt",
}
POISONED = [
    ("EMAIL", "ms\x00@example.eu", "NUL (U+0000)"),
    ("--name", "Anna\nSchmidt", "line feed (U+000A)"),
    ("--organisation", "Bundesamt\r\nBcc: x@evil.example", "carriage return (U+000D)"),
    ("--password", "long enough\x1bpassword", "escape (U+001B)"),
]


def _args(values: dict) -> list[str]:
    args = ["users", "create", values["EMAIL"]]
    for option, value in values.items():
        if option != "EMAIL":
            args += [option, value]
    return args


@pytest.mark.parametrize(("option", "value", "named"), POISONED, ids=[p[0] for p in POISONED])
def test_users_create_refuses_a_control_character_naming_the_option(app, option, value, named):
    result = app.test_cli_runner().invoke(args=_args(GOOD | {option: value}))
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output
    assert f"found {named}" in result.output
    with app.app_context():
        from twinflow.extensions import db

        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_users_create_still_makes_a_user_from_plain_text(app):
    result = app.test_cli_runner().invoke(args=_args(GOOD))
    assert result.exit_code == 0 and "created user" in result.output
