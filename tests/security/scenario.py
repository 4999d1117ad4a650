"""The multi-bid scenario the demo data never builds: three Member States bid on one call, each
with a proposal document; later the call closes, the coordinators record the selection minutes
(every bid's score), Germany's bid is marked and select_partner waits for the coordinator with
the beneficiary's comment naming its rivals.

Everything confidential carries a distinctive text (a *secret*), and `allowed_secrets` says
which party may read which secret in each phase; a secret any other party finds in a body, a
header, an e-mail or a calendar has leaked.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, Factory
from tests.web.conftest import Browser
from twinflow.deadlines.calendar import issue_calendar_token
from twinflow.notifications.models import Notification
from twinflow.proposals.models import Proposal

PHASES = ("open", "closed")
# Who walks the routes: each party of the scenario, plus the signed-out visitor.
PARTIES = (
    "anonymous",
    "admin",
    "coordinator",
    "beneficiary",
    "marked",  # Germany: its bid is marked, select_partner still pending (closed phase)
    "rival_fr",
    "rival_it",
    "other_institution",  # a beneficiary user of the same country, another administration
    "other_delegation",  # a coordinator of the EU Delegation to Armenia: Georgia is not its
    "inactive",  # a coordinator, deactivated after signing in everywhere
)
BIDDERS = {"marked": "DE", "rival_fr": "FR", "rival_it": "IT"}

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"


def pdf(text: str) -> bytes:
    return PDF + f"% {text}\n%%EOF\n".encode()


# (role, country, organisation, name, e-mail) of each party's user.
PEOPLE = {
    "admin": ("admin", None, "Audit office", "Ada Ledgerwood", "ada.ledgerwood@audit.example"),
    "coordinator": (
        "coordinator",
        None,
        "EU Delegation to Georgia",
        "Cora Quillfeather",
        "cora.quillfeather@delegation.example",
    ),
    "beneficiary": (
        "beneficiary",
        "GE",
        "Ministry of Justice of Georgia",
        "Bea Tsiklauri",
        "bea.tsiklauri@justice-ge.example",
    ),
    "marked": (
        "member_state",
        "DE",
        "Bundeszollverwaltung",
        "Dieter Zeppelin",
        "dieter.zeppelin@zoll-de.example",
    ),
    "rival_fr": (
        "member_state",
        "FR",
        "Direction des douanes",
        "Francoise Baguette",
        "francoise.baguette@douane-fr.example",
    ),
    "rival_it": (
        "member_state",
        "IT",
        "Agenzia delle dogane",
        "Italo Zabaglione",
        "italo.zabaglione@dogana-it.example",
    ),
    "other_institution": (
        "beneficiary",
        "GE",
        "Ministry of Finance of Georgia",
        "Otar Finansist",
        "otar.finansist@finance-ge.example",
    ),
    "inactive": (
        "coordinator",
        None,
        "EU Delegation to Georgia",
        "Ivo Dormant",
        "ivo.dormant@delegation.example",
    ),
    "other_delegation": (
        "coordinator",
        None,
        "EU Delegation to Armenia",
        "Arev Hovhannisyan",
        "arev.hovhannisyan@delegation-am.example",
    ),
}
# The countries each coordinator's Delegation covers (the project is Georgian).
COVERS = {"EU Delegation to Georgia": ["GE"], "EU Delegation to Armenia": ["AM", "MD"]}

# Each bid: (project leader, RTA, summary, file name, file content).
BIDS = {
    "DE": (
        "Klaus Edelweiss",
        "Greta Lindenbaum",
        "Bundeszoll Edelweiss mentoring plan",
        "angebot-edelweiss.pdf",
        "EDELWEISS-ANNEX-CONTENT",
    ),
    "FR": (
        "Amelie Camembert",
        "Pierre Roquefort",
        "Douane Camembert jumelage plan",
        "offre-camembert.pdf",
        "CAMEMBERT-ANNEX-CONTENT",
    ),
    "IT": (
        "Giulia Tiramisu",
        "Marco Pecorino",
        "Dogana Tiramisu gemellaggio plan",
        "offerta-tiramisu.pdf",
        "TIRAMISU-ANNEX-CONTENT",
    ),
}
PROJECT_TITLE = "Kraken customs integrity"
DRAFT_TITLE = "Narwhal prison reform draft"
FICHE = ("fiche-kraken.pdf", "FICHE-KRAKEN-CONTENT")
COMMENT = "Germany chosen over France; French RTA judged weak"
MINUTES = ("selection-minutes-grid.pdf", "SCORES-GRID-DE87-FR61-IT55")


def secrets_of(phase: str) -> dict[str, tuple[str, ...]]:
    """{secret: its distinctive texts} present in the phase."""
    out = {
        "project": (PROJECT_TITLE, *FICHE),
        "draft": (DRAFT_TITLE,),
    }
    for party, country in BIDDERS.items():
        _, _, _, name, email = PEOPLE[party]
        out[f"bid_{country}"] = (*BIDS[country], name, email)
    for party in (
        "admin",
        "coordinator",
        "beneficiary",
        "other_institution",
        "inactive",
        "other_delegation",
    ):
        _, _, _, name, email = PEOPLE[party]
        out[f"person_{party}"] = (name, email)
    if phase == "closed":
        out["comment"] = (COMMENT,)
        out["minutes"] = MINUTES
    return out


def allowed_secrets(party: str, phase: str) -> set[str]:
    """The secrets this party may read in this phase (the scenario's expected visibility)."""
    bids = {f"bid_{c}" for c in BIDS}
    # Who acted on the project is told to its readers (the walk's own reads by the
    # administrator are audited too), but no Member State user to a rival or before the close.
    project_people = {"person_coordinator", "person_beneficiary", "person_admin"}
    if party == "admin":  # the auditor reads the whole trail
        return set(secrets_of(phase))
    if party in ("coordinator", "beneficiary"):
        chosen = {"project", "draft", *project_people, f"person_{party}"}
        if phase == "closed":  # the bids are open once the call has closed
            chosen |= bids | {"comment", "minutes"}
        return chosen
    if party in BIDDERS:  # its own bid only; neither the choice nor the minutes
        return {"project", *project_people, f"bid_{BIDDERS[party]}"}
    if party in ("other_institution", "other_delegation"):
        return {f"person_{party}"}
    return set()  # anonymous, inactive


@dataclass
class World:
    """The scenario in one phase, with a signed-in browser and API client per party."""

    phase: str
    app: object
    make: Factory
    users: dict
    project: object
    draft: object
    proposals: dict  # country -> Proposal
    documents: dict  # "fiche", "bid_DE", ..., "minutes" -> document id
    approval_id: int | None
    notification_ids: dict  # party -> one of its notification ids (or None)
    calendar_tokens: dict  # party -> its feed secret
    browsers: dict = field(default_factory=dict)
    apis: dict = field(default_factory=dict)
    smtp: object = None

    def forbidden(self, party: str) -> dict[str, str]:
        """{text: secret} this party must never read in this phase."""
        allowed = allowed_secrets(party, self.phase)
        return {
            text: name
            for name, texts in secrets_of(self.phase).items()
            if name not in allowed
            for text in texts
        }


def build(app, make: Factory, phase: str, scheduler_pass) -> World:
    """`scheduler_pass()`: one pass of the scheduler (reminders, digests, e-mail delivered)."""
    session, clock = make.session, make.clock
    users = {}
    delegations = {name: make.organisation(name, countries=c).id for name, c in COVERS.items()}
    for party, (role, country, organisation, name, email) in PEOPLE.items():
        user = make.user(
            role,
            country=country,
            organisation=organisation,
            email=email,
            organisation_id=delegations.get(organisation) if role == "coordinator" else None,
        )
        user.name = name
        users[party] = user
    users["rival_it"].digest_enabled = True  # Italy reads its notifications as a digest
    users["other_delegation"].digest_enabled = True  # and so does the Delegation to Armenia
    session.commit()

    # Every party signs in on the web and takes an API token and a calendar feed; then the
    # coordinator Ivo leaves: his account is deactivated, his credentials kept to replay.
    apis = {party: ApiClient(app.test_client()).as_(user) for party, user in users.items()}
    apis["anonymous"] = ApiClient(app.test_client())
    browsers = {"anonymous": Browser(app)}
    calendar_tokens = {"anonymous": "no-such-calendar-token"}
    for party, user in users.items():
        browsers[party] = Browser(app).sign_in(user, PASSWORD)
        apis[party].token(user)
        calendar_tokens[party] = issue_calendar_token(session, user, now=clock.now())
    users["inactive"].is_active = False
    session.commit()

    beneficiary, coordinator = users["beneficiary"], users["coordinator"]
    draft = make.project(beneficiary, title=DRAFT_TITLE)
    project = make.project(beneficiary, title=PROJECT_TITLE)
    make.fire(beneficiary, project, "submit_fiche")
    make.fire(coordinator, project, "approve_fiche")

    documents = {"fiche": _upload(apis["beneficiary"], project.id, "fiche", *FICHE)}
    proposals = {}
    for party, country in BIDDERS.items():
        leader, rta, summary, filename, content = BIDS[country]
        proposals[country] = make.proposal(
            users[party], project, project_leader=leader, rta_name=rta, summary=summary
        )
        documents[f"bid_{country}"] = _upload(
            apis[party], project.id, "proposal", filename, content
        )
    # The proposals' deadline is two weeks away: every Member State is reminded of the call;
    # a day later the digest readers get theirs.
    clock.set(project.proposal_deadline - timedelta(days=13))
    scheduler_pass()
    clock.advance(days=1)
    scheduler_pass()

    approval_id = None
    if phase == "closed":
        clock.set(project.proposal_deadline + timedelta(minutes=1))
        make.fire(coordinator, project, "close_call")
        documents["minutes"] = _upload(
            apis["coordinator"], project.id, "selection_minutes", *MINUTES
        )
        make.select(coordinator, project, proposals["DE"])
        approval_id = make.fire(beneficiary, project, "select_partner", comment=COMMENT).approval.id
        # The beneficiary reads Germany's bid: a download event with no Member State in it.
        download = f"/projects/{project.id}/documents/{documents['bid_DE']}"
        with apis["beneficiary"].get(download) as read:
            assert read.status_code == 200
        scheduler_pass()
        clock.advance(days=1)
        scheduler_pass()

    notes = {
        party: session.scalar(
            select(Notification.id).where(Notification.user_id == user.id).limit(1)
        )
        for party, user in users.items()
    }
    for proposal in proposals.values():
        session.refresh(proposal)
    session.refresh(project)
    return World(
        phase=phase,
        app=app,
        make=make,
        users=users,
        project=project,
        draft=draft,
        proposals=proposals,
        documents=documents,
        approval_id=approval_id,
        notification_ids=notes,
        calendar_tokens=calendar_tokens,
        browsers=browsers,
        apis=apis,
    )


def _upload(api, project_id: int, category: str, filename: str, content: str) -> int:
    body = {"category": category, "file": (io.BytesIO(pdf(content)), filename, "application/pdf")}
    answer = api.post(
        f"/projects/{project_id}/documents", data=body, content_type="multipart/form-data"
    )
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def marked_proposal(session, project) -> Proposal | None:
    return session.scalar(
        select(Proposal).where(Proposal.project_id == project.id, Proposal.is_selected.is_(True))
    )
