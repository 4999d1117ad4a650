"""The project answers are dumped by a plan made once per schema (twinflow/api/dumping.py), not
field by field by marshmallow: what a client reads must be exactly what marshmallow wrote."""

import json
from collections import namedtuple
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from markupsafe import Markup
from marshmallow import Schema, fields

from twinflow.api.common import project_detail
from twinflow.api.dumping import PlannedSchema
from twinflow.api.fields import DecimalString
from twinflow.api.schemas import ProjectDetailSchema, ProjectSchema
from twinflow.auth.models import User
from twinflow.extensions import db
from twinflow.projects.models import Project


def _marshmallows(schema, obj, many: bool = False):
    """marshmallow's own dump of `obj` by this schema's fields: the output the plan must equal
    (the nested schemas are plain marshmallow ones)."""
    return Schema._serialize(schema, obj, many=many)


def _sent(app, data) -> bytes:
    """The body the app sends for this data (JSON, keys sorted): compared byte for byte, so
    1 is not taken for true, nor 1.0 for 1."""
    return app.json.response(data).get_data()


def _expected_detail(app, reader, project) -> bytes:
    """What marshmallow makes of the detail this reader is shown, as sent."""
    with app.test_request_context():
        user = db.session.get(User, reader.id)
        detail = project_detail(user, db.session.get(Project, project.id))
        return _sent(app, _marshmallows(ProjectDetailSchema(), detail))


def test_every_readers_project_answer_is_what_marshmallow_dumps_of_it(api, app, cast, make):
    ncp_office = make.organisation("NCP France", kind="ncp", country="FR")
    ncp = make.user("member_state", country="FR", organisation_id=ncp_office.id)
    readers = [cast.admin, cast.coordinator, cast.beneficiary, cast.france, cast.germany, ncp]
    draft = make.project(cast.beneficiary)
    calling = make.project(cast.beneficiary)
    make.fire(cast.beneficiary, calling, "submit_fiche")
    make.fire(cast.coordinator, calling, "approve_fiche")
    make.proposal(cast.germany, calling)
    forwarded = api.as_(ncp).post(
        f"/projects/{calling.id}/call/forwarding",
        json={"note": "Ask the ministry's legal unit first."},
    )
    assert forwarded.status_code == 200, forwarded.json
    project = cast.to("call_open")
    cast.proposal = make.proposal(cast.france, project, junior_member_states=["DE", "LT"])
    make.clock.set(project.proposal_deadline + timedelta(minutes=1))
    make.fire(cast.coordinator, project, "close_call")
    cast.to("contracting")
    make.fire(cast.coordinator, project, "sign_contract")  # the Member State's signature owed
    deadlines = api.as_(cast.coordinator).get(f"/projects/{project.id}/deadlines").json
    deadline = next(d for d in deadlines if d["status"] == "open")
    moved = api.as_(cast.coordinator).post(
        f"/projects/{project.id}/deadlines/{deadline['id']}/move",
        json={
            "due_at": (make.clock.now() + timedelta(days=40)).isoformat(),
            "reason": "The ministry asked for time.",
        },
    )
    assert moved.status_code == 201, moved.json

    shown = []
    for reader in readers:
        for subject in (draft, calling, project):
            answer = api.as_(reader).get(f"/projects/{subject.id}")
            if answer.status_code == 404:
                continue
            expected = _expected_detail(app, reader, subject)
            assert answer.get_data() == expected, (reader.email, subject.state)
            shown.append(answer.json)
    # Every kind of value the answer holds was compared, not only empty lists and nulls.
    assert len(shown) >= 12
    assert any(a["pending_approvals"] and a["pending_approvals"][0]["decisions"] for a in shown)
    assert any(a["call_forwarding"] for a in shown)
    assert any(a["proposals_received"] for a in shown)
    assert any(d["decision_reason"] for a in shown for d in a["deadlines"])
    assert any(o["data"] for a in shown for o in a["options"])
    assert any(a["lead_member_state"] for a in shown)
    assert any(a["junior_member_states"] == ["DE", "LT"] for a in shown)
    assert any(a["budget_eur"] for a in shown)


def test_the_project_list_is_what_marshmallow_dumps_of_its_projects(api, app, cast, make):
    for _ in range(3):
        make.project(cast.beneficiary)
    cast.to("work_plan")
    answer = api.as_(cast.coordinator).get("/projects?per_page=50")
    assert answer.status_code == 200
    assert len(answer.json) == 4
    with app.test_request_context():
        projects = [db.session.get(Project, item["id"]) for item in answer.json]
        expected = _marshmallows(ProjectSchema(), projects, many=True)
        assert answer.get_data() == _sent(app, expected)


class _Inner(Schema):
    label = fields.String()
    on = fields.Boolean()


class _Every(PlannedSchema):
    text = fields.String(allow_none=True)
    number = fields.Integer(allow_none=True)
    flag = fields.Boolean()
    moment = fields.DateTime(allow_none=True)
    day = fields.Date(allow_none=True)
    stamp = fields.DateTime(format="timestamp", allow_none=True)
    money = DecimalString(allow_none=True)
    facts = fields.Dict()
    counted = fields.Dict(keys=fields.String(), values=fields.Integer())
    names = fields.List(fields.String())
    numbers = fields.List(fields.Integer())
    inner = fields.Nested(_Inner, allow_none=True)
    inners = fields.List(fields.Nested(_Inner))
    many_inners = fields.Nested(_Inner, many=True)
    renamed = fields.String(data_key="renamedKey")
    read_from = fields.String(attribute="source")
    with_default = fields.String(dump_default="none given")
    items = fields.String()  # a dict's method name: marshmallow reads the method when absent
    computed = fields.Method("_computed")
    constant = fields.Constant(7)
    dotted = fields.String(attribute="inner.label")

    def _computed(self, obj):
        return f"computed from {type(obj).__name__}"


_FULL = {
    "text": Markup("<b>bold</b>"),
    "number": True,
    "flag": "yes",
    "moment": datetime(2027, 1, 31, 12, 30, tzinfo=UTC),
    "day": datetime(2027, 1, 31).date(),
    "stamp": datetime(2027, 1, 31, tzinfo=UTC),
    "money": Decimal("1500000.005"),
    "facts": {"a": [1, 2]},
    "counted": {"a": 1},
    "names": ["x", 3],
    "numbers": [1, 2.9, "4"],
    "inner": {"label": "in", "on": 0},
    "inners": [{"label": 1}, {}],
    "many_inners": [{"on": True}],
    "renamed": "r",
    "source": "from source",
    "items": "a key named items",
}


def _text(data) -> str:
    return json.dumps(data, sort_keys=True, default=repr)


def test_a_planned_dump_equals_marshmallows_for_every_kind_of_field_and_value():
    planned = _Every()
    empty = dict.fromkeys(_FULL)  # every value None
    sparse = {"text": "only this"}  # every other value missing: defaults or left out
    Row = namedtuple("Row", list(_FULL))  # read by items first, as marshmallow reads it

    class Thing:
        def __init__(self, values):
            self.__dict__.update(values)

    for value in (_FULL, empty, sparse, Row(**_FULL), Thing(_FULL), Thing(sparse)):
        assert _text(planned.dump(value)) == _text(_marshmallows(planned, value)), value
    both = [_FULL, sparse]
    assert _text(planned.dump(both, many=True)) == _text(_marshmallows(planned, both, many=True))
    assert planned.dump(_FULL)["money"] == "1500000.00"
    assert _text(planned.dump(_FULL)["number"]) == "1"
    assert planned.dump(_FULL)["numbers"] == [1, 2, 4]
