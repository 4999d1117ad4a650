"""Upgrading to organisations (migration 0014) keeps what every coordinator saw: each is put
in the headquarters, which covers every country; nobody else is put anywhere."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from twinflow.auth.models import User
from twinflow.organisations.models import HEADQUARTERS, Organisation
from twinflow.projects.permissions import can_view_project


def test_upgrading_puts_every_coordinator_in_the_headquarters(app, make, session):
    coordinator = make.user("coordinator")
    beneficiary = make.user("beneficiary")
    project = make.project(beneficiary)
    session.rollback()
    with app.app_context():
        downgrade(revision="0013")
        upgrade()
    session.expire_all()
    hq = session.scalar(select(Organisation).where(Organisation.name == HEADQUARTERS))
    assert hq.covers_all and hq.kind == "commission_service"
    again = session.get(User, coordinator.id)
    assert again.organisation_id == hq.id
    assert session.get(User, beneficiary.id).organisation_id is None
    assert can_view_project(again, project)
