"""What a project's public page shows, as EU Neighbours East shows a project: its filing
(priority area, subsector, topic), the beneficiary and the Member States apart with their
institutions, its status in plain words, dates at their precision, budget, the countries for
the map, and the images marked public. Nothing else of the project is read here."""

from dataclasses import asdict, dataclass, field

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.auth.models import User
from twinflow.gallery.operations import public_images
from twinflow.i18n import lazy_gettext
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal
from twinflow.reference.data import ReferenceData

# The status a visitor reads, in plain words (the states with a public page).
PLAIN_STATUS = {
    "implementation": lazy_gettext("Ongoing: the partners are implementing the project"),
    "suspended": lazy_gettext("Suspended for now"),
    "final_reporting": lazy_gettext("Completed: the final report is being reviewed"),
    "closed": lazy_gettext("Completed"),
}


@dataclass(frozen=True)
class Place:
    """A country on the map: its EU code, name, part, and the ISO numeric code and name the
    Natural Earth shapes are keyed by."""

    code: str
    name: str
    role: str  # beneficiary, lead or junior
    numeric: str | None
    shape_name: str


@dataclass
class PublicPage:
    project: Project
    status: str
    priority_area: str | None
    subsector: str | None
    lead: str | None  # EU code
    lead_institution: str | None
    juniors: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    images: list = field(default_factory=list)

    @property
    def map_places(self) -> list[dict]:
        return [asdict(p) for p in self.places]

    @property
    def countries_line(self) -> str:
        return ", ".join(p.name for p in self.places)


def build(session: Session, reference: ReferenceData, project: Project) -> PublicPage:
    proposal = session.scalar(
        select(Proposal).where(
            Proposal.project_id == project.id,
            Proposal.call_round == project.call_round,
            Proposal.is_selected.is_(True),
        )
    )
    if proposal is not None:
        lead, juniors = proposal.lead_member_state, list(proposal.junior_member_states or [])
        lead_institution = _institution(session, proposal.submitted_by_id)
    else:  # an imported record names its partners on the row
        lead, juniors = project.lead_member_state, list(project.junior_member_states or [])
        lead_institution = None
    area = reference.priority_areas.get(project.priority_area or "")
    places = [_place(reference, project.beneficiary_country, "beneficiary")]
    if lead:
        places.append(_place(reference, lead, "lead"))
    places += [_place(reference, code, "junior") for code in juniors if code != lead]
    return PublicPage(
        project=project,
        status=str(PLAIN_STATUS.get(project.state, project.state.replace("_", " ").capitalize())),
        priority_area=area.label if area else project.priority_area,
        subsector=reference.subsector_label(project.priority_area, project.subsector) or None,
        lead=lead,
        lead_institution=lead_institution,
        juniors=[c for c in juniors if c != lead],
        places=places,
        images=public_images(session, project),
    )


def _institution(session: Session, user_id: int) -> str | None:
    """The Member State administration that submitted the selected proposal."""
    user = session.get(User, user_id)
    if user is None:
        return None
    if user.affiliation is not None:
        return user.affiliation.name
    return user.organisation or None


def _place(reference: ReferenceData, code: str, role: str) -> Place:
    country = reference.countries.get(code)
    name = reference.country_name(code)
    numeric, shape_name = None, name
    if country is not None and country.iso:
        found = pycountry.countries.get(alpha_2=country.iso)
        if found is not None:
            numeric, shape_name = found.numeric, found.name
    return Place(code, name, role, numeric, shape_name)
