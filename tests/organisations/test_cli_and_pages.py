"""`twinflow organisations ...` and the admin pages: the same rules as the API."""

from sqlalchemy import select

from tests.web.conftest import Browser
from twinflow.auth.models import User
from twinflow.organisations.models import Organisation


def test_the_cli_creates_lists_and_assigns(app, delegations, session):
    cli = app.test_cli_runner()
    made = cli.invoke(
        args=["organisations", "create", "EU Delegation to Moldova", "--kind", "eu_delegation",
              "--covers", "md"]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    moldova = session.scalar(select(Organisation).where(Organisation.name.like("%Moldova")))
    assert moldova.countries == ["MD"]
    moved = cli.invoke(args=["organisations", "assign", delegations.am.email, str(moldova.id)])
    assert moved.exit_code == 0, moved.output
    assert "now belongs to EU Delegation to Moldova" in moved.output
    session.expire_all()
    assert session.get(User, delegations.am.id).organisation_id == moldova.id
    listed = cli.invoke(args=["organisations", "list"]).output
    assert "EU Delegation to Moldova\teu_delegation\t-\tcovers: MD\tusers: 1" in listed
    assert "covers: all countries" in listed


def test_the_cli_refuses_what_the_api_refuses(app, delegations):
    cli = app.test_cli_runner()
    bad = cli.invoke(args=["organisations", "create", "NCP", "--kind", "ncp", "--covers", "GE"])
    assert bad.exit_code == 1 and "countries:" in bad.output
    nobody = cli.invoke(args=["organisations", "assign", "nobody@example.eu", "1"])
    assert nobody.exit_code == 1 and "No user with e-mail" in nobody.output
    user = cli.invoke(
        args=["users", "create", "z@delegation.example", "--password", "a long unusual phrase",
              "--role", "coordinator", "--organisation-id", str(delegations.georgia.id)]
    )  # fmt: skip
    assert user.exit_code == 0, user.output


def test_an_administrator_manages_organisations_on_the_admin_pages(app, delegations, session):
    admin = Browser(app).sign_in(delegations.cast.admin)
    page = admin.text("/admin/organisations")
    assert "EU Delegation to Armenia" in page and "every country" in page
    refused = admin.post(
        "/admin/organisations/new",
        data={"name": "Bad", "kind": "eu_delegation", "countries": "FR"},
        token_from="/admin/organisations/new",
    )
    assert refused.status_code == 422
    assert "must be beneficiary countries" in refused.get_data(as_text=True)
    made = admin.post(
        "/admin/organisations/new",
        data={"name": "EU Delegation to Ukraine", "kind": "eu_delegation", "countries": "UA"},
        token_from="/admin/organisations/new",
    )
    assert made.status_code == 302
    ukraine = session.scalar(select(Organisation).where(Organisation.name.like("%Ukraine")))
    user_page = f"/admin/users/{delegations.am.id}"
    assert "covers AM, MD" in admin.text(user_page)
    moved = admin.post(
        f"/admin/users/{delegations.am.id}/organisation",
        data={"organisation_id": str(ukraine.id)},
        token_from=user_page,
    )
    assert moved.status_code == 302
    assert "covers UA" in admin.text(user_page)
    # A beneficiary cannot join a Delegation: the page says why and nothing changes.
    ben = delegations.cast.beneficiary
    admin.post(
        f"/admin/users/{ben.id}/organisation",
        data={"organisation_id": str(ukraine.id)},
        token_from=user_page,
    )
    assert "a beneficiary belongs to: Beneficiary institution" in admin.text(
        f"/admin/users/{ben.id}"
    )
    session.expire_all()
    assert session.get(User, ben.id).organisation_id is None
