"""What the project page shows of the review mission on a closed project: its window and
the missions planned, each with its state (drafted and moved through the generic
record routes, /api/v1/projects/<id>/records/review_mission)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from twinflow.review.models import ReviewMission
from twinflow.review.window import window_of

RECORD_TYPE = "review_mission"


@dataclass
class ReviewSection:
    opens: datetime | None
    closes: datetime | None
    missions: list[tuple[ReviewMission, str]]


def review_section(session, engine, project) -> ReviewSection | None:
    if RECORD_TYPE not in engine.registry.record_types():
        return None
    workflow = engine.registry.record(RECORD_TYPE)
    if project.state not in workflow.project_states:
        return None
    window = window_of(project, workflow) or (None, None)
    missions = session.scalars(
        select(ReviewMission)
        .where(ReviewMission.project_id == project.id)
        .order_by(ReviewMission.id)
    ).all()
    labelled = [(m, engine.record_workflow(session, m).label_of(m.state)) for m in missions]
    return ReviewSection(window[0], window[1], labelled)
