"""Demo implementation records for the demo project in implementation: results from the
fiche, the team (named before the contract), activities, a steering meeting, an approved
report and side letter, all made through the operations on the demo clock. The second
quarter's meeting is left missing, so the pages show an overdue item, and its report is left
for the visitor to write."""

from datetime import timedelta

from twinflow.activities import operations as activities
from twinflow.changes import operations as changes
from twinflow.reports import operations as reports
from twinflow.results import operations as results
from twinflow.steering import operations as steering
from twinflow.team import operations as team
from twinflow.workflow.durations import add_months

RESULTS = [
    (
        "Probation service",
        [
            (
                "A national probation service operates under the new law",
                [("Probation officers trained", "people", 0, 120, 78)],
            ),
            (
                "Risk and needs assessment in use",
                [("Offenders assessed with the new tool", "%", 0, 80, 35)],
            ),
        ],
    ),
    (
        "Penitentiary healthcare",
        [
            (
                "Health records digitised in all prisons",
                [("Prisons connected", "prisons", 2, 15, 6)],
            ),
        ],
    ),
]
ACTIVITIES = [
    # (kind, title, planned start and length in days from the implementation start, done?)
    ("expert_mission", "Inception mission and work plan review", 5, 10, "done"),
    ("training", "Training of trainers: risk assessment", 40, 5, "done"),
    ("study_visit", "Study visit to the French probation service", 70, 5, "done"),
    ("workshop", "Workshop on the probation law by-laws", 120, 2, "done"),
    ("counselling", "Counselling on prison health records", 150, 90, "ongoing"),
    ("training", "Regional trainings of probation officers", 230, 120, "planned"),
    ("internship", "Internships in French prisons' health units", 380, 30, "planned"),
    ("expert_mission", "Closing mission and lessons learnt", 680, 10, "planned"),
]


def define(session, engine, beneficiary, project) -> list:
    """Components, mandatory results and indicators, while the contract is drafted."""
    indicators = []
    for title, found in RESULTS:
        component = results.add_component(
            session, engine, beneficiary, project.id, {"title": title}
        )
        for result_title, measures in found:
            result = results.add_result(
                session, engine, beneficiary, component.id, {"title": result_title}
            )
            for name, unit, baseline, target, reached in measures:
                values = {"name": name, "unit": unit, "baseline": baseline, "target": target}
                indicator = results.add_indicator(session, engine, beneficiary, result.id, values)
                indicators.append((indicator, reached))
    return indicators


def name_team(session, engine, clock, project, beneficiary, lead) -> None:
    """The team, named before the contract: the lead Member State signs through its project
    leader, reports and side letters are co-signed by both leaders (their demo accounts), and a
    Twinning is signed only with an RTA seconded for its implementation, which starts within
    days of the signature."""
    today = clock.now().date()
    members = [
        {
            "role": "bc_project_leader",
            "name": beneficiary.name,
            "organisation": beneficiary.organisation,
            "email": beneficiary.email,
        },
        {
            "role": "ms_project_leader",
            "name": lead.name,
            "organisation": lead.organisation,
            "country": lead.country,
            "email": lead.email,
        },
        {
            "role": "rta_counterpart",
            "name": "Giorgi Kapanadze",
            "organisation": beneficiary.organisation,
        },
    ]
    if engine.definition_of(session, project).rules.rta_required:
        # Named a month or so before the signature; the start follows it within days.
        last = add_months(today + timedelta(days=60), project.implementation_months)
        members.append(
            {
                "role": "rta",
                "name": "Paul Durand",
                "organisation": lead.organisation,
                "country": lead.country,
                "secondment_start": today,
                "secondment_end": last - timedelta(days=1),
            }
        )
    for member in members:
        team.add_team_member(session, engine, lead, project.id, member)


def run(session, engine, clock, project, indicators, beneficiary, lead, coordinator):
    """The first months of implementation, up to (not beyond) today; a generator yielding the
    time of each next step, so the demo replays every project's history in time order."""
    start = project.implementation_start
    day = start.date()
    planned = []
    for kind, title, offset, days, _ in ACTIVITIES:
        first = day + timedelta(days=offset)
        values = {
            "kind": kind,
            "title": title,
            "planned_start": first,
            "planned_end": first + timedelta(days=days - 1),
            "experts": ["Paul Durand"],
        }
        planned.append(activities.plan_activity(session, engine, beneficiary, project.id, values))

    yield start + timedelta(days=50)
    steering.record_meeting(
        session,
        engine,
        beneficiary,
        project.id,
        {
            "held_on": day + timedelta(days=45),
            "attendees": [beneficiary.name, lead.name, "Paul Durand", "EU Delegation"],
            "minutes": "Work plan confirmed; first trainings agreed.",
        },
    )

    yield add_months(start, 3) + timedelta(days=12)
    report = reports.create_report(
        session,
        engine,
        beneficiary,
        project.id,
        {"kind": "interim", "number": 1, "summary": "Inception completed; trainers trained."},
    )
    reports.submit_report(session, engine, beneficiary, report.id)
    yield clock.now() + timedelta(days=2)
    reports.submit_report(session, engine, lead, report.id)
    yield clock.now() + timedelta(days=6)
    reports.approve_report(session, engine, coordinator, report.id, "Clear and complete.")

    yield add_months(start, 5) + timedelta(days=10)
    for activity, (_, _, offset, days, status) in zip(planned, ACTIVITIES, strict=True):
        if status == "planned":
            continue
        first = day + timedelta(days=offset + 1)
        values = {"status": status, "actual_start": first}
        if status == "done":
            values |= {"actual_end": first + timedelta(days=days - 1), "participants": 18}
        activities.update_activity(session, engine, beneficiary, activity.id, values)
    for indicator, reached in indicators:
        results.record_indicator_value(session, engine, lead, indicator.id, {"reached": reached})

    letter = changes.create_change(
        session,
        engine,
        beneficiary,
        project.id,
        "side_letter",
        {
            "title": "Two regional trainings instead of one national one",
            "justification": "Officers cannot travel to Tbilisi for a week.",
            "changes": {"reallocation_eur": 18000},
        },
    )
    changes.act_on_change(session, engine, beneficiary, letter.id, "submit")
    changes.act_on_change(session, engine, lead, letter.id, "submit")
    yield clock.now() + timedelta(days=3)
    changes.act_on_change(session, engine, coordinator, letter.id, "approve")
