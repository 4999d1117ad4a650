"""The demo's project with a returned fiche: written, submitted, returned by the coordinator
with comments on two sections, and partly revised since (revision 2 not yet submitted)."""

from datetime import timedelta

from twinflow.fiche.operations import return_with_comments, save_text
from twinflow.projects.operations import create_project

TITLE = "Reform of the probation service"
FIRST = {
    "basic_information": "Programme: EU4Justice, annual action programme 2026.",
    "context": (
        "Georgia's probation service supervises 30,000 people with 600 officers. Risk "
        "assessment is done on paper and differs between regional offices."
    ),
    "overall_objective": "A probation system that lowers reoffending.",
    "specific_objectives": "Modern risk assessment and case management in every office.",
    "components": [
        {
            "title": "Risk assessment",
            "results": [
                {
                    "title": "A validated risk and needs assessment tool in use",
                    "indicators": ["Tool used for 90% of new cases"],
                }
            ],
        },
        {
            "title": "Training",
            "results": [{"title": "Officers trained", "indicators": ["All officers trained"]}],
        },
    ],
    "duration": "24 months.",
    "rta_profile": "A senior probation officer with ten years of case management experience.",
}
COMMENTS = {
    "overall_objective": "Say by how much and by when: the objective must be measurable.",
    "components": "Component 2 needs a baseline: how many officers are trained today?",
}


def seed(session, engine, clock, beneficiary, coordinator):
    """A generator yielding the time of each next step (the demo replays in time order)."""
    project = create_project(
        session,
        engine,
        beneficiary,
        dict(
            title=TITLE,
            workflow="twinning",
            sector="JH",
            instrument="ENI",
            budget_eur=1_400_000,
            implementation_months=24,
            description=f"{TITLE}: risk assessment and training for the probation officers.",
        ),
    )
    save_text(session, engine, beneficiary, project.id, FIRST, None)
    yield clock.now() + timedelta(days=7)
    engine.fire(session, beneficiary, project.id, "submit_fiche")
    yield clock.now() + timedelta(days=12)
    return_with_comments(
        session,
        engine,
        coordinator,
        project.id,
        "Objectives and indicators need figures before the fiche can be circulated.",
        COMMENTS,
    )
    yield clock.now() + timedelta(days=3)
    revised = FIRST | {
        "overall_objective": "Reoffending within two years of release down from 31% to 25%.",
    }
    save_text(session, engine, beneficiary, project.id, revised, None)
