"""The administrators' API: GET/POST /organisations, GET/POST /users, PATCH /users/<id>; bad
input is a 422 naming the field and changes nothing; nobody else may use it."""

import json

import pytest
from sqlalchemy import func, select

from tests.api.conftest import error_of
from twinflow.audit.models import AuditEvent
from twinflow.auth.models import User
from twinflow.organisations.models import HEADQUARTERS, Organisation


@pytest.fixture
def admin(api, delegations):
    return api.as_(delegations.cast.admin)


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_an_administrator_creates_a_delegation_and_finds_it_listed(admin):
    created = admin.post(
        "/organisations",
        json={"name": "EU Delegation to Moldova", "kind": "eu_delegation", "countries": ["md"]},
    )
    assert created.status_code == 201, created.json
    assert created.json | {"id": 0, "created_at": ""} == {
        "id": 0,
        "name": "EU Delegation to Moldova",
        "kind": "eu_delegation",
        "country": None,
        "covers_all": False,
        "countries": ["MD"],
        "created_at": "",
    }
    listed = {o["name"]: o for o in admin.get("/organisations").json}
    assert set(listed) == {
        HEADQUARTERS,
        "EU Delegation to Georgia",
        "EU Delegation to Armenia",
        "EU Delegation to Moldova",
    }
    assert listed[HEADQUARTERS]["covers_all"] is True
    assert listed["EU Delegation to Armenia"]["countries"] == ["AM", "MD"]


def test_a_contracting_authority_covers_its_own_country_unless_told(admin):
    cfcu = admin.post(
        "/organisations",
        json={"name": "CFCU of Armenia", "kind": "contracting_authority", "country": "AM"},
    )
    assert cfcu.status_code == 201 and cfcu.json["countries"] == ["AM"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "eu_delegation"}, "name"),
        ({"name": "  ", "kind": "eu_delegation"}, "name"),
        ({"name": "EU Delegation to Georgia", "kind": "eu_delegation"}, "name"),
        ({"name": "X", "kind": "embassy"}, "kind"),
        ({"name": "X", "kind": "eu_delegation", "countries": ["FR"]}, "countries"),
        ({"name": "X", "kind": "eu_delegation", "countries": ["GEO"]}, "countries.0"),
        ({"name": "X", "kind": "ncp", "countries": ["GE"]}, "countries"),
        ({"name": "X", "kind": "eu_delegation", "covers_all": True}, "covers_all"),
        ({"name": "X", "kind": "beneficiary_institution"}, "country"),
        ({"name": "X", "kind": "member_state_institution", "country": "GE"}, "country"),
        ({"name": "X", "kind": "eu_delegation", "countries": "GE"}, "countries"),
        ({"name": "X", "kind": "eu_delegation", "colour": "blue"}, "colour"),
        ({"name": "X" * 201, "kind": "eu_delegation"}, "name"),
    ],
)
def test_a_bad_organisation_is_refused_naming_the_field(admin, session, body, field):
    before = _count(session, Organisation)
    refused = admin.post("/organisations", json=body)
    assert refused.status_code == 422, refused.json
    assert field in error_of(refused)["details"], refused.json
    assert _count(session, Organisation) == before


def test_an_administrator_creates_a_coordinator_of_a_delegation(admin, api, delegations):
    created = admin.post(
        "/users",
        json={
            "email": "Nora.Delegate@delegation.example",
            "password": "a long and unusual passphrase",
            "role": "coordinator",
            "name": "Nora Delegate",
            "organisation_id": delegations.armenia.id,
        },
    )
    assert created.status_code == 201, created.json
    assert created.headers["Location"].endswith(f"/api/v1/users/{created.json['id']}")
    assert created.json["email"] == "nora.delegate@delegation.example"
    assert created.json["organisation_id"] == delegations.armenia.id
    assert admin.get(f"/users/{created.json['id']}").json == created.json
    listed = admin.get(f"/users?organisation_id={delegations.armenia.id}")
    assert [u["email"] for u in listed.json] == [
        "am@delegation.example",
        "nora.delegate@delegation.example",
    ]
    assert listed.headers["X-Total-Count"] == "2"


def test_a_beneficiary_user_takes_its_institutions_country_and_name(admin, make):
    ministry = make.organisation(
        "Ministry of Justice of Georgia", kind="beneficiary_institution", country="GE"
    )
    created = admin.post(
        "/users",
        json={
            "email": "lado@justice-ge.example",
            "password": "a long and unusual passphrase",
            "role": "beneficiary",
            "organisation_id": ministry.id,
        },
    )
    assert created.status_code == 201, created.json
    assert (created.json["country"], created.json["organisation"]) == (
        "GE",
        "Ministry of Justice of Georgia",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"organisation_id": 987654}, "organisation_id"),
        ({"organisation_id": 0}, "organisation_id"),
        ({"organisation_id": 2**40}, "organisation_id"),
        ({"organisation_id": "1"}, "organisation_id"),
        ({"role": "king"}, "role"),
        ({"country": "GEO"}, "country"),
        ({"active": "perhaps"}, "active"),
        ({"email": "not an address"}, "email"),
        ({"email": "GE@delegation.example", "name": "Anna Armenia"}, "email"),  # ge's
        ({"name": ""}, "name"),
        ({"name": "Anna Armenia", "role": "king"}, "role"),
        ({"role": "beneficiary"}, "country"),  # a beneficiary needs a country
    ],
)
def test_a_bad_user_change_is_refused_naming_the_field(admin, delegations, session, change, field):
    target = delegations.am
    refused = admin.patch(f"/users/{target.id}", json=change)
    assert refused.status_code == 422, refused.json
    assert field in error_of(refused)["details"], refused.json
    session.expire_all()
    again = session.get(User, target.id)
    assert (again.role, again.organisation_id, again.is_active) == (
        "coordinator",
        delegations.armenia.id,
        True,
    )
    assert (again.email, again.name) == ("am@delegation.example", target.name)


def test_a_user_belongs_only_to_an_organisation_of_its_kind(admin, delegations, make):
    d = delegations
    into_delegation = admin.patch(
        f"/users/{d.cast.beneficiary.id}", json={"organisation_id": d.georgia.id}
    )
    assert into_delegation.status_code == 422
    assert "organisation_id" in error_of(into_delegation)["details"]
    ministry = make.organisation(
        "Ministry of Finance", kind="beneficiary_institution", country="AM"
    )
    coordinator_into_ministry = admin.patch(
        f"/users/{d.ge.id}", json={"organisation_id": ministry.id}
    )
    assert coordinator_into_ministry.status_code == 422


def test_patch_changes_role_country_and_activity_with_an_audit_event_each(
    admin, api, delegations, session
):
    d = delegations
    api.as_(d.am).get("/projects")  # a token the deactivation must end
    changed = admin.patch(
        f"/users/{d.am.id}",
        json={"role": "admin", "organisation_id": None, "active": False},
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["role"], changed.json["organisation_id"], changed.json["active"]) == (
        "admin",
        None,
        False,
    )
    assert api.as_(d.am).get("/projects").status_code == 401
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("user_%")).order_by(AuditEvent.seq)
    ).all()
    assert actions[-3:] == ["user_role_changed", "user_organisation_changed", "user_deactivated"]


def test_an_administrator_cannot_deactivate_itself(admin, delegations):
    refused = admin.patch(f"/users/{delegations.cast.admin.id}", json={"active": False})
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "conflict"


def test_no_such_user_is_a_404(admin):
    assert admin.patch("/users/2000000000", json={"active": False}).status_code == 404
    assert admin.get("/users/2000000000").status_code == 404


def test_only_administrators_use_the_administration_api(api, delegations):
    for user in (delegations.ge, delegations.cast.beneficiary, delegations.cast.france):
        client = api.as_(user)
        assert client.get("/organisations").status_code == 403
        assert client.get("/users").status_code == 403
        assert client.post("/organisations", json={"name": "X", "kind": "ncp"}).status_code == 403
        assert client.patch(f"/users/{user.id}", json={"role": "admin"}).status_code == 403


def test_patch_corrects_a_name_and_email_audited_with_before_and_after(admin, delegations, session):
    target = delegations.am
    changed = admin.patch(
        f"/users/{target.id}", json={"name": "Anna Armenia", "email": "Anna@Delegation.example"}
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["name"], changed.json["email"]) == (
        "Anna Armenia",
        "anna@delegation.example",
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user_details_changed")
    ).one()
    data = json.loads(event.data)
    assert data["before"]["email"] == "am@delegation.example"
    assert data["after"] == {"name": "Anna Armenia", "email": "anna@delegation.example"}
    # The same values again: nothing to record.
    again = admin.patch(f"/users/{target.id}", json={"email": "anna@delegation.example"})
    assert again.status_code == 200
    session.expire_all()
    assert (
        len(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "user_details_changed")
            ).all()
        )
        == 1
    )
