from datetime import date

import pytest
from sqlalchemy import delete, func, select

from tests.factories import Cast
from twinflow.audit.models import AuditEvent
from twinflow.team import operations as team
from twinflow.team.models import TeamMember
from twinflow.workflow.errors import Conflict, InvalidData, NotPermitted


@pytest.fixture
def cast(cast, session):
    """The implementation cast without the team Cast names for signing: these tests build it."""
    session.execute(delete(TeamMember).where(TeamMember.project_id == cast.project.id))
    session.commit()
    return cast


def _rta(start: str, end: str) -> dict:
    return {"role": "rta", "name": "Paul Durand", "secondment_start": start, "secondment_end": end}


def test_an_rta_seconded_for_under_12_months_is_refused_on_a_twinning(cast, session, engine):
    events = session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.france, cast.project.id, _rta("2027-02-05", "2028-01-04")
        )
    assert refused.value.errors == {
        "secondment_end": [
            "the RTA secondment must last 12 to 36 months on a Twinning project; "
            "2027-02-05 to 2028-01-04 is 11 months"
        ]
    }
    assert session.scalar(select(func.count(TeamMember.id))) == 0
    assert session.scalar(select(func.count(AuditEvent.id))) == events


def test_a_twelve_month_secondment_counts_both_end_days(cast, session, engine):
    member = team.add_team_member(
        session, engine, cast.france, cast.project.id, _rta("2027-02-05", "2028-02-04")
    )
    assert member.secondment_start == date(2027, 2, 5)
    assert team.secondment_months(date(2027, 2, 5), date(2028, 2, 4)) == 12
    assert team.secondment_months(date(2027, 2, 5), date(2028, 2, 3)) == 11


def test_an_rta_secondment_over_36_months_is_refused(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.france, cast.project.id, _rta("2027-02-05", "2030-03-04")
        )
    assert "37 months" in refused.value.errors["secondment_end"][0]


def test_a_twinning_light_has_no_rta(make, session, engine):
    cast = Cast(make, workflow="twinning_light")
    project = cast.to("implementation")
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.france, project.id, _rta("2027-02-05", "2027-10-04")
        )
    assert refused.value.errors == {
        "role": ["a Twinning Light project has no Resident Twinning Adviser"]
    }
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.france, project.id,
            {"role": "junior_ms_partner", "name": "Ana", "country": "ES"},
        )  # fmt: skip
    assert refused.value.errors == {"role": ["a Twinning Light project has one Member State only"]}


def test_every_field_error_is_reported_together(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.france, cast.project.id,
            {"role": "rta", "secondment_start": "5 Feb", "salary": 1},
        )  # fmt: skip
    assert set(refused.value.errors) == {"name", "secondment_start", "secondment_end", "salary"}


def test_only_an_rta_has_a_secondment(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.beneficiary, cast.project.id,
            {"role": "rta_counterpart", "name": "Nino", "secondment_start": "2027-02-05"},
        )  # fmt: skip
    assert refused.value.errors == {
        "secondment_start": ["only a Resident Twinning Adviser has a secondment"]
    }


def test_a_second_rta_needs_an_addendum(cast, session, engine):
    team.add_team_member(
        session, engine, cast.france, cast.project.id, _rta("2027-02-05", "2029-02-04")
    )
    with pytest.raises(Conflict, match="a change of RTA needs an addendum"):
        team.add_team_member(
            session, engine, cast.france, cast.project.id, _rta("2027-03-05", "2029-02-04")
        )


def test_the_team_lists_leaders_rta_counterpart_and_junior_partners(cast, session, engine):
    for values in (
        {"role": "ms_project_leader", "name": "Jeanne Martin", "country": "FR"},
        {"role": "bc_project_leader", "name": "Giorgi Beridze", "country": "GE"},
        {"role": "rta_counterpart", "name": "Nino Kapanadze"},
        {"role": "junior_ms_partner", "name": "Ana Lopez", "country": "es"},
    ):
        team.add_team_member(session, engine, cast.beneficiary, cast.project.id, values)
    members = team.team(session, engine, cast.france, cast.project.id)
    assert sorted(m.role for m in members) == [
        "bc_project_leader",
        "junior_ms_partner",
        "ms_project_leader",
        "rta_counterpart",
    ]
    assert [m.country for m in members if m.role == "junior_ms_partner"] == ["ES"]


def test_a_member_state_that_was_not_selected_cannot_change_the_team(cast, session, engine):
    with pytest.raises(NotPermitted):
        team.add_team_member(
            session, engine, cast.germany, cast.project.id,
            {"role": "junior_ms_partner", "name": "Hans", "country": "DE"},
        )  # fmt: skip


def test_a_member_is_linked_to_the_account_of_their_e_mail_with_a_recorded_deputy(
    cast, session, engine, make
):
    deputy = make.user("member_state", country="FR", email="deputy@ms.example")
    member = team.add_team_member(
        session, engine, cast.france, cast.project.id,
        {"role": "ms_project_leader", "name": "Jeanne Martin", "email": cast.france.email.upper(),
         "deputy_name": "Luc Moreau", "deputy_email": "Deputy@ms.example"},
    )  # fmt: skip
    assert (member.name, member.user_id) == ("Jeanne Martin", cast.france.id)
    assert (member.deputy_name, member.deputy_user_id) == ("Luc Moreau", deputy.id)
    with pytest.raises(InvalidData) as refused:
        team.add_team_member(
            session, engine, cast.france, cast.project.id,
            {"role": "bc_project_leader", "name": "Nino", "deputy_email": "nobody@x.example"},
        )  # fmt: skip
    assert refused.value.errors == {"deputy_email": ["is not the e-mail of an active user account"]}
    with pytest.raises(Conflict, match="a change of project leader needs a side letter"):
        team.add_team_member(
            session, engine, cast.france, cast.project.id,
            {"role": "ms_project_leader", "name": "Someone Else"},
        )  # fmt: skip
