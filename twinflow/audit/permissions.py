"""Who may read which audit events: the whole trail is for administrators (auditors); a
project's trail follows what the reader may see of each thing an event is about.

One rule, written twice: `event_visible` in Python (the web timeline, the dashboard, the
conflict page) and `project_events_clause` in SQL (the API's paged audit list). The parts that
depend on an event's owner and category are derived from the Python predicates themselves
(`_by_owner`), and tests/security/test_rules.py checks that both forms give the same events to
every user of the multi-bid scenario.

- Proposal events follow the bid rule (proposals/permissions.py): a Member State sees only its
  own, never a rival's; the others once the call has closed. "proposal_selected" also needs
  `selection_known_to`: a marked bid is not a choice until select_partner applies.
- Document events (upload, download, integrity) follow the document rule
  (implementation/permissions.py) by the category and Member State they carry: a bid's
  documents are sealed like the bid; the lead partner reads no rival's material. An event of a
  Member State's user (it carries that Member State) is also that Member State's bid activity:
  who reads even the open fiche is who considers bidding.
- Choosing the partner: the transition that chose it is a lifecycle step every reader of the
  project sees. What was said while choosing (the requests, the decisions, and the transition
  when it carries the requester's comment) follows the approvals rule
  (approvals/permissions.py).
- A Member State that is not the project's lead partner sees the lifecycle (creation,
  transitions, approvals) and the documents it may read, and nothing of the implementation
  records, which belong to the project's parties; the lead reads none of an earlier call
  round's (a withdrawn partner's team and records).
- Who acted is the people rule (auth/permissions.py): a Member State user is not told which
  user of another Member State acted.
"""

from sqlalchemy import and_, false, not_, or_, select, true

from twinflow.approvals.permissions import SELECTION_TRIGGERS, can_view_approval_of
from twinflow.audit.models import AuditEvent
from twinflow.auth.permissions import withheld_people_clause
from twinflow.documents.models import DOCUMENT_CATEGORIES
from twinflow.documents.permissions import can_view_document_of
from twinflow.projects.permissions import can_view_project
from twinflow.proposals.permissions import can_view_bid, in_earlier_round, selection_known_to
from twinflow.workflow.parties import parties_on

LIFECYCLE_ACTIONS = (
    "project_created",
    "transition",
    "approval_requested",
    "approval_approved",
    "approval_rejected",
)
DOCUMENT_ACTIONS = ("document_uploaded", "document_downloaded", "document_integrity_failed")
# Stands for "a Member State other than the reader's" when the SQL twin asks the predicates.
_SOMEONE_ELSE = "\x00someone else"


def can_read_full_audit(user) -> bool:
    return user is not None and user.is_active and user.role == "admin"


def can_read_project_audit(user, project) -> bool:
    return can_view_project(user, project)


def _reads_records(user, project, earlier: bool = False) -> bool:
    """Beyond the lifecycle: everyone but a Member State that is not the lead partner; and
    the lead not of an earlier call round (the records of a partner that withdrew, its
    people's names among them, are not for the next one)."""
    if user.role != "member_state":
        return True
    lead = project.lead_member_state
    return lead is not None and lead == user.country and not earlier


def event_visible(user, project, event, data: dict) -> bool:
    """May this user see this event of this project? `data`: the event's data, parsed."""
    if not can_view_project(user, project):
        return False
    if can_read_full_audit(user):
        return True
    owner = data.get("member_state")
    earlier = in_earlier_round(project, at=event.occurred_at)
    if event.action.startswith("proposal_"):
        if not can_view_bid(user, project, owner, earlier):
            return False
        return event.action != "proposal_selected" or selection_known_to(user, project)
    if _said_while_choosing(event, data) and not can_view_approval_of(user, project, event.trigger):
        return False
    if event.action in DOCUMENT_ACTIONS:
        parties = parties_on(user, project)
        return _document_event_rule(user, project, parties, data.get("category"), owner, earlier)
    if event.action in LIFECYCLE_ACTIONS:
        return True
    return _reads_records(user, project, earlier) and _not_a_rivals(user, owner)


def event_rule(user, project):
    """`event_visible` for many events of one project and one reader (a page's timeline),
    asked once per kind of event: the rule reads of an event only its action, its trigger,
    whether it dates from an earlier call round, and the Member State, the category and the
    empty comment its data names; everything else it asks is of the user and the project.
    Events alike in those get the first one's answer, so the outcome is `event_visible`'s."""
    decided = {}

    def visible(event, data: dict) -> bool:
        owner, category = data.get("member_state"), data.get("category")
        key = (
            event.action,
            event.trigger,
            in_earlier_round(project, at=event.occurred_at),
            _said_while_choosing(event, data),
            type(owner),
            owner,
            type(category),
            category,
        )
        try:
            return decided[key]
        except KeyError:
            outcome = decided[key] = event_visible(user, project, event, data)
            return outcome
        except TypeError:  # a value JSON made unhashable (a list): asked on its own
            return event_visible(user, project, event, data)

    return visible


def _not_a_rivals(user, owner) -> bool:
    """A record event carrying a Member State (its user acted: a team entry) is not for
    another Member State, e.g. the reserve taken up after that partner withdrew."""
    return user.role != "member_state" or owner is None or owner == user.country


def _document_event_rule(user, project, parties, category, owner, earlier=False) -> bool:
    """The document rule, and: what a Member State's users do with a project's documents
    (even the open fiche: who reads it is who considers bidding) is that Member State's bid
    activity, read by whoever may read its bid."""
    if not can_view_document_of(user, project, parties, category, owner, earlier):
        return False
    return owner is None or can_view_bid(user, project, owner, earlier)


def _said_while_choosing(event, data: dict) -> bool:
    """An event of choosing the partner other than its uncommented transition."""
    if event.trigger not in SELECTION_TRIGGERS:
        return False
    return event.action != "transition" or not ("comment" in data and data["comment"] is None)


def project_events_clause(user, project):
    """`event_visible` as a WHERE clause over AuditEvent, for paging in the database."""
    if not can_view_project(user, project):
        return false()
    if can_read_full_audit(user):
        return true()
    about_proposal = AuditEvent.action.like("proposal\\_%", escape="\\")
    earlier = _in_earlier_round(project)
    proposals = about_proposal & _by_round(
        earlier, lambda e: _by_owner(user, lambda o: can_view_bid(user, project, o, e))
    )
    if not selection_known_to(user, project):
        proposals = proposals & (AuditEvent.action != "proposal_selected")
    parties = parties_on(user, project)
    documents = AuditEvent.action.in_(DOCUMENT_ACTIONS) & or_(
        *(
            _category_is(category)
            & _by_round(
                earlier,
                lambda e, c=category: _by_owner(
                    user, lambda o: _document_event_rule(user, project, parties, c, o, e)
                ),
            )
            for category in (*DOCUMENT_CATEGORIES, None)
        )
    )
    lifecycle = AuditEvent.action.in_(LIFECYCLE_ACTIONS)
    records = _by_owner(user, lambda o: _not_a_rivals(user, o))
    rest = not_(AuditEvent.action.in_(DOCUMENT_ACTIONS)) & _by_round(
        earlier, lambda e: (lifecycle | records) if _reads_records(user, project, e) else lifecycle
    )
    others = and_(not_(about_proposal), or_(documents, rest))
    hidden_triggers = [t for t in SELECTION_TRIGGERS if not can_view_approval_of(user, project, t)]
    if hidden_triggers:
        others = and_(
            others,
            or_(
                AuditEvent.trigger.is_(None),
                AuditEvent.trigger.not_in(hidden_triggers),
                # Canonical JSON: a comment left empty reads exactly so (the transition's
                # data declares no field of its own, so nothing nested can).
                (AuditEvent.action == "transition")
                & AuditEvent.data.contains('"comment":null', autoescape=True),
            ),
        )
    return or_(proposals, others)


def _in_earlier_round(project):
    """`in_earlier_round` as a clause over the event's date."""
    if project.call_round > 1 and project.circulated_at is not None:
        return AuditEvent.occurred_at < project.circulated_at
    return None


def _by_round(earlier, rule):
    """`rule(earlier_round)` as a clause: asked for the current round, and for an earlier one
    when the project has had one (`earlier`: the clause telling them apart, or None)."""
    if earlier is None:
        return rule(False)
    return or_(not_(earlier) & rule(False), earlier & rule(True))


def _by_owner(user, allowed):
    """`allowed(owner)` as a clause over the event's "member_state" (the Member State whose
    bid or document it is about): asked for the reader's own country, for no Member State,
    and for another one, which are all the cases the Python rule can tell apart."""
    mine = user.country if user.role == "member_state" and user.country else None
    nobody, other = allowed(None), allowed(_SOMEONE_ELSE)
    own = allowed(mine) if mine else other
    if nobody == other == own:
        return true() if own else false()
    named = AuditEvent.data.contains('"member_state":"', autoescape=True)
    is_mine = _data_has("member_state", mine) if mine else false()
    pieces = []
    if nobody:
        pieces.append(not_(named))
    if other:
        pieces.append(named & not_(is_mine))
    if own and mine:
        pieces.append(is_mine)
    return or_(*pieces) if pieces else false()


def _category_is(category: str | None):
    if category is None:
        return not_(AuditEvent.data.contains('"category":"', autoescape=True))
    return _data_has("category", category)


def _data_has(key: str, value: str):
    # Event data is canonical JSON (sorted keys, no spaces), so a top-level string pair reads
    # exactly like this; the values matched are country codes and category names.
    return AuditEvent.data.contains(f'"{key}":"{value}"', autoescape=True)


def mark_withheld_actors(session, viewer, pairs) -> None:
    """For the web timelines: flag in each (event, data) whose actor this viewer may not
    learn (the people rule, as its SQL twin) as data["actor_withheld"]. One query."""
    from twinflow.auth.models import User
    from twinflow.auth.permissions import nobody_withheld_from

    ids = {event.actor_id for event, data in pairs if event.actor_id}
    hidden = set()
    if ids and not nobody_withheld_from(viewer):
        hidden = set(
            session.scalars(select(User.id).where(User.id.in_(ids), withheld_people_clause(viewer)))
        )
    for event, data in pairs:
        data["actor_withheld"] = event.actor_id in hidden
