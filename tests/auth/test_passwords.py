"""Password strength (zxcvbn) wherever a password is set, and a dummy hash for unknown
e-mails made exactly like real hashes."""

import pytest
from sqlalchemy import func, select

from config import ProductionConfig, TestingConfig
from tests.factories import PASSWORD
from twinflow.auth import operations
from twinflow.auth.models import User
from twinflow.auth.passwords import dummy_hash, hash_parameters, hash_password

WEAK = [
    ("aaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
    ("password12", "This is a very common password."),
]


def _users(session, email) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(User.email == email))


@pytest.mark.parametrize(("weak", "reason"), WEAK)
def test_the_cli_refuses_a_weak_password_saying_why(app, session, weak, reason):
    args = ["users", "create", "weak@example.eu", "--password", weak, "--role", "coordinator"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert "password: is too easy to guess" in result.output and reason in result.output
    assert _users(session, "weak@example.eu") == 0


def test_the_cli_creates_a_user_with_a_strong_password(app, session):
    args = ["users", "create", "strong@example.eu", "--password", PASSWORD, "--role", "admin"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert _users(session, "strong@example.eu") == 1


@pytest.mark.parametrize(("weak", "reason"), WEAK)
def test_the_admin_page_refuses_a_weak_initial_password_saying_why(
    make, as_user, session, weak, reason
):
    admin = as_user(make.user("admin"))
    form = {"email": "new@example.eu", "role": "coordinator", "password": weak}
    answer = admin.post("/admin/users/new", form)
    page = answer.get_data(as_text=True).replace("&#34;", '"')
    assert answer.status_code == 422
    assert "is too easy to guess" in page and reason in page
    assert _users(session, "new@example.eu") == 0


@pytest.mark.parametrize(("weak", "reason"), WEAK)
def test_an_admin_reset_to_a_weak_password_is_refused_and_the_old_one_still_works(
    make, as_user, browser, weak, reason
):
    admin, user = as_user(make.user("admin")), make.user("beneficiary")
    answer = admin.post(f"/admin/users/{user.id}/password", {"password": weak})
    page = answer.get_data(as_text=True).replace("&#34;", '"')
    assert answer.status_code == 422 and reason in page
    browser().sign_in(user, password=PASSWORD)


def test_a_password_made_of_the_users_own_organisation_is_refused(session, clock):
    """ "vexlorium2027" alone would pass; it is weak for someone working at Vexlorium."""
    values = dict(role="coordinator", now=clock.now(), organisation="Vexlorium Agency")
    with pytest.raises(operations.InvalidData) as refused:
        operations.create_user(session, email="ana@example.eu", password="vexlorium2027", **values)
    assert "is too easy to guess" in refused.value.details["password"][0]
    operations.create_user(session, email="ana@example.eu", password=PASSWORD, **values)


@pytest.mark.parametrize("config", [TestingConfig, ProductionConfig])
def test_the_dummy_hash_uses_the_configured_algorithm_and_cost(config):
    method = config.PASSWORD_HASH_METHOD
    assert hash_parameters(dummy_hash(method)) == hash_parameters(hash_password("x", method))
    if config is ProductionConfig:
        assert hash_parameters(dummy_hash(method)) == "scrypt:32768:8:1"


def test_an_unknown_email_checks_a_hash_of_the_same_cost_as_a_known_one(app, make, monkeypatch):
    """A wrong password for a known e-mail and any password for an unknown one check a hash
    made with the same algorithm and cost parameters (the configured method)."""
    checked = []
    real_check = operations.check_password

    def recording(stored_hash, password):
        checked.append(hash_parameters(stored_hash))
        return real_check(stored_hash, password)

    monkeypatch.setattr(operations, "check_password", recording)
    user = make.user("coordinator")
    client = app.test_client()
    for email in (user.email, "nobody@example.eu"):
        body = {"email": email, "password": "wrong password"}
        assert client.post("/api/v1/auth/token", json=body).status_code == 401
    configured = hash_parameters(hash_password("x", app.config["PASSWORD_HASH_METHOD"]))
    assert checked == [configured, configured]
    assert hash_parameters(user.password_hash) == configured
