"""Confidentiality, route by route: every GET route of the web and the API, taken from
`app.url_map`, walked as every party of the multi-bid world in both phases. Nobody may read a
secret that is not theirs (tests/security/scenario.py says whose each one is), and every route
answers every party as tests/security/routes.py declares. Every write route is declared with
the parties it is for; every other party is refused and nothing changes."""

import io
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD
from tests.security.routes import ANY_RECORDS, GET_ROUTES, WRITE_ROUTES
from tests.security.scenario import PARTIES, pdf
from twinflow.approvals.models import Signoff
from twinflow.audit.models import AuditEvent
from twinflow.auth.models import ApiToken, User
from twinflow.deadlines.models import CalendarToken
from twinflow.documents.models import Document
from twinflow.notifications.models import Notification
from twinflow.organisations.models import Organisation
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal

pytestmark = pytest.mark.xdist_group("security-world")

API_ID = "int(min=1, max=2147483647)"
NO_SUCH_ID = 2_000_000_000
READS = {"GET"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_PARAM = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def key_of(rule) -> str:
    """The rule as the tables name it: the API's bounded ids read <ID:name>."""
    return rule.rule.replace(API_ID, "ID")


def _rules(app, methods):
    for rule in app.url_map.iter_rules():
        for method in sorted(set(rule.methods) & methods):
            yield rule, method


def _values(world, party) -> dict:
    return dict(
        project_id=world.project.id,
        user_id=world.users["marked"].id,
        proposal_id=world.proposals["DE"].id,
        approval_id=world.approval_id or NO_SUCH_ID,
        notification_id=world.notification_ids.get(party) or NO_SUCH_ID,
        token=world.calendar_tokens[party],
        name="twinning",
        trigger="cancel",
        activity_id=NO_SUCH_ID,
        change_id=NO_SUCH_ID,
        component_id=NO_SUCH_ID,
        indicator_id=NO_SUCH_ID,
        report_id=NO_SUCH_ID,
        result_id=NO_SUCH_ID,
        record_type="report",
        record_id=NO_SUCH_ID,
        deadline_id=NO_SUCH_ID,
        figure="stages",
        image_id=NO_SUCH_ID,
        variant="thumb",
        email_id=NO_SUCH_ID,
        number=1,  # the fiche's revision 1: submitted, approved, circulated
        language="fr",
    )


def _path(key: str, values: dict) -> str:
    if key.startswith("/api/v1/docs/static/"):
        values = values | {"filename": "swagger-ui/swagger-ui.css"}
    elif "<path:filename>" in key:
        values = values | {"filename": "app.css"}
    return _PARAM.sub(lambda m: str(values[m.group(1)]), key)


def _instances(world, key: str, row: dict):
    """[(label, document id, expected row)]: one per document of the world for a download
    (its row may differ between the phases), else the route itself."""
    if _per_document(key):
        for label, document_id in world.documents.items():
            expected = row[label]
            yield label, document_id, expected.get(world.phase, expected)
    else:  # a route may answer differently while the call is open and once it has closed
        yield "", None, row.get(world.phase, row) if set(row) <= {"open", "closed"} else row


def _per_document(key: str) -> bool:
    return "<ID:document_id>" in key or "<int:document_id>" in key


def status_class(response):
    code = response.status_code
    if 200 <= code < 300:
        return "ok"
    if 300 <= code < 400:
        target = urlsplit(response.location or "").path
        return "login" if target.startswith("/login") else "redirect"
    return code


def _client_get(world, party, path):
    if path.startswith("/api/v1"):
        return world.apis[party].get(path.removeprefix("/api/v1"))
    return world.browsers[party].get(path)


def readable(response) -> str:
    """Everything a party receives: headers and body, with what could hide a text undone (the
    audit log's <wbr> breaks, iCalendar's folded lines)."""
    # A fiche's PDF is binary: its bytes are read as far as they are text.
    body = response.get_data().decode("utf-8", "replace")
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return (headers + "\n" + body).replace("<wbr>", "").replace("\r\n ", "").lower()


def leaks_in(world, party, text: str) -> list[str]:
    return sorted(
        f"{secret}: {found!r}"
        for found, secret in world.forbidden(party).items()
        if found.lower() in text
    )


@pytest.fixture(scope="package")
def walks():
    return {}


@pytest.fixture
def walk(world, walks):
    """Every GET route x instance x party, asked once per world: [(party, route, instance,
    expected, got, leaks)]."""
    if id(world) in walks:
        return walks[id(world)]
    found = []
    for rule, _ in _rules(world.app, READS):
        key = key_of(rule)
        row = GET_ROUTES.get(key)
        if row is None:
            continue  # reported by test_every_route_is_declared_for_every_party
        for label, document_id, expected in _instances(world, key, row):
            for party in PARTIES:
                values = _values(world, party) | {"document_id": document_id}
                response = _client_get(world, party, _path(key, values))
                try:
                    got, text = status_class(response), readable(response)
                finally:
                    response.close()
                leaks = leaks_in(world, party, text)
                found.append((party, key, label, expected.get(party), got, leaks))
    walks[id(world)] = found
    return found


def _app():
    from twinflow import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")


def test_every_route_is_declared_for_every_party():
    app = _app()
    reads = {key_of(rule) for rule, _ in _rules(app, READS)}
    assert sorted(reads - set(GET_ROUTES)) == [], "GET routes missing from routes.GET_ROUTES"
    assert sorted(set(GET_ROUTES) - reads) == [], "routes.GET_ROUTES names routes that are gone"
    writes = {(key_of(rule), method) for rule, method in _rules(app, WRITES)}
    assert sorted(writes - set(WRITE_ROUTES)) == [], "write routes missing from WRITE_ROUTES"
    assert sorted(set(WRITE_ROUTES) - writes) == [], "WRITE_ROUTES names routes that are gone"
    for key, row in GET_ROUTES.items():
        for each in row.values() if _per_document(key) else [row]:
            for phase_row in each.values() if set(each) <= {"open", "closed"} else [each]:
                assert set(phase_row) == set(PARTIES), key
    for key, (allowed, refused) in WRITE_ROUTES.items():
        for phase_row in refused.values() if "open" in refused else [refused]:
            assert set(allowed) | set(phase_row) == set(PARTIES), key


def test_every_get_route_answers_every_party_as_declared(walk):
    wrong = [
        f"{party} GET {route} {label}: expected {expected}, got {got}"
        for party, route, label, expected, got, _ in walk
        if got != expected
    ]
    assert wrong == [], "\n".join(wrong)
    assert len({route for _, route, *_ in walk}) == len(GET_ROUTES)


def test_no_get_route_shows_anybody_a_secret_that_is_not_theirs(walk):
    found = [
        f"{party} GET {route} {label}: {leak}"
        for party, route, label, _, _, leaks in walk
        for leak in leaks
    ]
    assert found == [], "\n".join(found)


def test_the_secrets_the_walk_looks_for_are_on_the_pages_of_those_who_may_read_them(world):
    """A search that finds nothing proves nothing unless the texts are shown somewhere: those
    who may read them find them, through the same pages."""
    beneficiary = world.browsers["beneficiary"]
    page = beneficiary.get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert "Kraken customs integrity" in page
    own = world.browsers["marked"].get(f"/projects/{world.project.id}").get_data(as_text=True)
    assert "Klaus Edelweiss" in own  # Germany's project leader, on Germany's page
    if world.phase == "closed":
        assert "Germany chosen over France" in page
        assert "Amelie Camembert" in page  # France's bid, open to the beneficiary now
        docs = beneficiary.get(f"/projects/{world.project.id}/documents").get_data(as_text=True)
        assert "offre-camembert.pdf" in docs and "selection-minutes-grid.pdf" in docs


# -- writes ------------------------------------------------------------------------------------

PROBE_FORMS = {
    "/projects/<int:project_id>/fiche": {"context": "Probe"},
    "/projects/<int:project_id>/fiche/particulars": {
        "title": "Probe",
        "beneficiary_institution": "Ministry of Justice of Georgia",
        "sector": "JH",
        "instrument": "ENI",
        "budget_eur": "1500000",
        "implementation_months": "24",
    },
    "/projects/<int:project_id>/fiche/return": {"comment": "Probe"},
    "/admin/users/new": {
        "email": "probe@example.eu",
        "password": "a long enough password",
        "role": "coordinator",
        "name": "Probe",
    },
    "/admin/users/<int:user_id>/active": {"active": "0", "confirm": "yes"},
    "/admin/users/<int:user_id>/details": {"name": "Probe Renamed", "email": "renamed@example.eu"},
    "/admin/users/<int:user_id>/password": {"password": "another long password"},
    "/admin/users/<int:user_id>/role": {"role": "admin"},
    "/admin/users/<int:user_id>/organisation": {"organisation_id": ""},
    "/admin/organisations/new": {
        "name": "Probe office",
        "kind": "eu_delegation",
        "countries": "AM",
    },
    "/approvals/<int:approval_id>/decide": {"decision": "approve", "seen_seq": "0"},
    "/calls/<int:project_id>/proposal": {"project_leader": "Probe", "rta_name": "Probe RTA"},
    "/projects/<int:project_id>/actions/<trigger>": {"cancel-comment": "probe"},
    "/projects/<int:project_id>/activities": {
        "plan-kind": "workshop",
        "plan-title": "Probe",
        "plan-planned_start": "2027-06-01",
        "plan-planned_end": "2027-06-02",
    },
    "/projects/<int:project_id>/changes": {
        "kind": "side_letter",
        "title": "Probe",
        "justification": "probe",
    },
    "/projects/<int:project_id>/components": {"title": "Probe"},
    "/projects/<int:project_id>/reports": {"kind": "interim", "number": "1"},
    "/projects/<int:project_id>/steering": {"held_on": "2027-01-05", "attendees": "Probe"},
    "/projects/<int:project_id>/team": {"role": "rta_counterpart", "name": "Probe"},
    "/account/time-zone": {"time_zone": "Europe/Paris"},
    "/projects/<int:project_id>/deadlines/<int:deadline_id>/waive": {"reason": "probe"},
    "/projects/<int:project_id>/deadlines/<int:deadline_id>/move": {
        "due_at": "2030-01-01T12:00",
        "reason": "probe",
    },
}
PROBE_JSON = {
    "/api/v1/projects/<ID:project_id>/selection/eligibility/<ID:proposal_id>": {"eligible": True},
    "/api/v1/projects/<ID:project_id>/selection/meeting": {
        "held_on": "2027-01-05",
        "minutes_document_id": 1,
    },
    "/api/v1/notifications/read": {"ids": [1]},
    "/api/v1/projects/<ID:project_id>": {"title": "Probe"},
    "/api/v1/projects/<ID:project_id>/fiche": {"sections": {"context": "Probe"}},
    "/api/v1/approvals/<ID:approval_id>": {"decision": "approve"},
    "/api/v1/projects": {
        "title": "Probe",
        "workflow": "twinning",
        "sector": "JH",
        "instrument": "ENI",
        "budget_eur": 900000,
        "implementation_months": 18,
    },
    "/api/v1/projects/<ID:project_id>/transitions": {"trigger": "cancel", "comment": "probe"},
    "/api/v1/projects/<ID:project_id>/deadlines/<ID:deadline_id>/waiver": {"reason": "probe"},
    "/api/v1/projects/<ID:project_id>/deadlines/<ID:deadline_id>/move": {
        "due_at": "2030-01-01T12:00:00Z",
        "reason": "probe",
    },
    "/api/v1/organisations": {"name": "Probe office", "kind": "eu_delegation", "countries": ["AM"]},
    "/api/v1/users": {
        "email": "probe@example.eu",
        "password": "a long enough password",
        "role": "coordinator",
    },
    "/api/v1/users/<ID:user_id>": {"active": False, "organisation_id": None},
    "/api/v1/workflows/<string(maxlength=60):name>/migrations": {
        "to_version": "0123456789abcdef",
        "dry_run": False,
    },
    "/api/v1/projects/<ID:project_id>/proposals": {
        "project_leader": "Probe",
        "rta_name": "Probe RTA",
    },
    "/api/v1/projects/<ID:project_id>/proposals/<ID:proposal_id>": {"summary": "probe"},
    "/api/v1/projects/<ID:project_id>/activities": {
        "kind": "workshop",
        "title": "Probe",
        "planned_start": "2027-06-01",
        "planned_end": "2027-06-02",
    },
    "/api/v1/projects/<ID:project_id>/changes": {
        "kind": "side_letter",
        "title": "Probe",
        "justification": "probe",
    },
    "/api/v1/projects/<ID:project_id>/changes/<ID:change_id>/transitions": {"trigger": "submit"},
    "/api/v1/projects/<ID:project_id>/components": {"title": "Probe"},
    "/api/v1/projects/<ID:project_id>/components/<ID:component_id>/results": {"title": "Probe"},
    "/api/v1/projects/<ID:project_id>/indicators/<ID:indicator_id>": {"reached": 1},
    "/api/v1/projects/<ID:project_id>/results/<ID:result_id>/indicators": {
        "name": "Probe",
        "baseline": 0,
        "target": 1,
    },
    "/api/v1/projects/<ID:project_id>/reports": {"kind": "interim", "number": 1},
    "/api/v1/projects/<ID:project_id>/reports/<ID:report_id>/transitions": {"trigger": "submit"},
    f"{ANY_RECORDS}": {"values": {"title": "Probe"}},
    f"{ANY_RECORDS}/<ID:record_id>": {"values": {"title": "P"}},
    f"{ANY_RECORDS}/<ID:record_id>/transitions": {"trigger": "submit"},
    "/api/v1/projects/<ID:project_id>/steering-meetings": {
        "held_on": "2027-01-05",
        "attendees": ["Probe"],
    },
    "/api/v1/projects/<ID:project_id>/team": {"role": "rta_counterpart", "name": "Probe"},
}


def _upload_body() -> dict:
    return {
        "category": "work_plan",
        "file": (io.BytesIO(pdf("PROBE")), "probe.pdf", "application/pdf"),
    }


def _state(session) -> tuple:
    """What a refused write must leave as it was."""
    session.expire_all()
    count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return (
        count(AuditEvent),
        count(Notification),
        count(Document),
        count(Proposal),
        count(Project),
        count(User),
        count(CalendarToken),
        count(Organisation),
        session.scalar(select(func.count()).where(ApiToken.revoked_at.is_not(None))),
        tuple(session.execute(select(Project.id, Project.state, Project.version)).all()),
        tuple(session.execute(select(Signoff.id, Signoff.status)).all()),
        tuple(session.execute(select(Proposal.id, Proposal.is_selected, Proposal.summary)).all()),
        tuple(
            session.execute(select(User.id, User.role, User.is_active, User.organisation_id)).all()
        ),
    )


def _csrf(world, party, cache) -> str:
    if party not in cache:
        cache[party] = world.browsers[party].token("/")
    return cache[party]


def _probe(world, party, key, method, values, tokens):
    path = _path(key, values)
    if key.startswith("/api/v1"):
        client = world.apis[party]
        if key.endswith("/documents"):
            kwargs = {"data": _upload_body(), "content_type": "multipart/form-data"}
        else:
            kwargs = {"json": PROBE_JSON.get(key, {})}
        return client.request(method, path.removeprefix("/api/v1"), **kwargs)
    browser = world.browsers[party]
    data = dict(PROBE_FORMS.get(key, {}))
    data["csrf_token"] = _csrf(world, party, tokens)
    if key.endswith("/documents"):
        data |= _upload_body()
        return browser.client.post(path, data=data, content_type="multipart/form-data")
    return browser.client.open(path, method=method, data=data)


def test_every_write_route_refuses_every_party_it_is_not_for_and_changes_nothing(world):
    session = world.make.session
    before = _state(session)
    tokens, wrong, probed = {}, [], 0
    for rule, method in _rules(world.app, WRITES):
        key = key_of(rule)
        allowed, refused = WRITE_ROUTES[key, method]
        refused = refused.get(world.phase, refused) if "open" in refused else refused
        for party, expected in refused.items():
            if party in allowed:
                continue  # what it may do is tested with its feature
            response = _probe(world, party, key, method, _values(world, party), tokens)
            got = status_class(response)
            response.close()
            probed += 1
            if got != expected:
                wrong.append(f"{party} {method} {key}: expected {expected}, got {got}")
    assert wrong == []
    assert _state(session) == before
    assert probed > 100


def test_every_web_form_refuses_a_post_without_its_csrf_token(world):
    session = world.make.session
    before = _state(session)
    wrong = []
    for rule, method in _rules(world.app, WRITES):
        key = key_of(rule)
        if key.startswith("/api/"):
            continue
        allowed, _ = WRITE_ROUTES[key, method]
        # Someone the form is for; for a form no party of this world may use (an NCP's), any
        # signed-in party: the CSRF check comes before every other.
        party = next((p for p in PARTIES if p in allowed), "admin")
        path = _path(key, _values(world, party))
        response = world.browsers[party].client.open(
            path, method=method, data=dict(PROBE_FORMS.get(key, {}))
        )
        if response.status_code != 400:
            wrong.append(f"{party} {method} {key}: {response.status_code}")
        response.close()
    assert wrong == []
    assert _state(session) == before


def test_a_deactivated_user_signs_in_nowhere(world):
    user = world.users["inactive"]
    page = world.browsers["anonymous"].client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": world.browsers["anonymous"].token("/login"),
        },
    )
    assert page.status_code == 401
    token = world.apis["anonymous"].post(
        "/auth/token", json={"email": user.email, "password": PASSWORD}
    )
    assert token.status_code == 401
