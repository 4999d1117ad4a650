"""A definition described as JSON for people and clients: `workflows show` and
GET /api/v1/workflows/<name>."""

import json

from twinflow.workflow.definition import Definition


def describe(definition: Definition) -> dict:
    """A JSON-ready description for the CLI and the API."""
    return json.loads(
        json.dumps(
            {
                "name": definition.name,
                "title": definition.title,
                "description": definition.description,
                "version": definition.version,
                "roles": list(definition.roles),
                "initial": definition.initial,
                "states": [
                    {
                        "name": s.name,
                        "label": s.label,
                        "description": s.description,
                        "terminal": s.terminal,
                        "deadlines": [
                            {
                                "key": x.key,
                                "title": x.title,
                                "anchor": x.anchor,
                                "after": str(x.after),
                                "every": str(x.every) if x.every else None,
                                "until": x.until,
                                "reminders": [str(r) for r in x.reminders],
                                "notify": list(x.notify),
                                "escalate_every": str(x.escalate_every)
                                if x.escalate_every
                                else None,
                                "met_on": x.met_on,
                            }
                            for x in s.deadlines
                        ],
                    }
                    for s in definition.states.values()
                ],
                "transitions": [
                    {
                        "trigger": t.trigger,
                        "label": t.label,
                        "sources": list(t.sources),
                        "dest": t.dest,
                        "allowed": list(t.allowed),
                        "approvals": list(t.approvals),
                        "endorsement": {"by": t.endorsed_by, "under": list(t.endorsed_under)}
                        if t.endorsed_by
                        else None,
                        "signed_by_person": dict(t.persons),
                        "comment_required": t.comment_required,
                        "guards": list(t.guards),
                        "data": [
                            {
                                "name": f.name,
                                "type": f.type,
                                "label": f.label,
                                "required": f.required,
                                "future": f.future,
                            }
                            for f in t.data
                        ],
                    }
                    for t in definition.transitions
                ],
            }
        )
    )
