"""One row of an import file judged on its own: its lifecycle, its state (by name or by label
in any language), its particulars checked, and the warnings that imported history gets
instead of refusals (a lead before selection, an open call without its deadline, a hold)."""

from dataclasses import dataclass

from twinflow.deadlines.holds import is_hold
from twinflow.i18n import gettext as _
from twinflow.imports.reader import COLUMNS
from twinflow.imports.report import Note
from twinflow.projects.fields import PARTICULARS, blank, check_particulars, shown
from twinflow.workflow.registry import return_states


@dataclass
class Row:
    number: int
    cells: dict
    definition: object
    state: str
    values: dict
    warnings: list
    held_from: str | None = None  # an imported hold: the state `resume` goes back to


def read_row(number: int, cells: dict, reference, registry) -> tuple[list[Note], Row | None]:
    errors: list[Note] = []
    if cells.get("_extra"):
        errors.append(
            Note(number, "", shown(cells["_extra"][0]), _("has values beyond the named columns"))
        )
    kind = shown(cells.get("type")).strip().lower().replace("-", "_").replace(" ", "_")
    definition = None
    if not kind:
        errors.append(Note(number, "type", "", _("is required (twinning or twinning_light)")))
    elif kind not in registry.names():
        errors.append(
            Note(
                number,
                "type",
                shown(cells.get("type")),
                _("must be one of: %(values)s", values=", ".join(registry.names())),
            )
        )
    else:
        definition = registry.current(kind)
    state = None
    if definition is not None:
        state, problem = _state(cells.get("state"), definition)
        if problem:
            errors.append(Note(number, "state", shown(cells.get("state")), problem))
    # The pinned columns only: the public page's filing is set later, never by an import.
    given = {name: cells.get(name) for name in PARTICULARS if name in COLUMNS}
    checked = check_particulars(given, reference, workflow=definition)
    for name, (value, why) in checked.errors.items():
        errors.append(Note(number, name, value, why))
    warnings = [Note(number, c, v, r) for c, v, r in checked.warnings]
    held_from = None
    if definition is not None and state is not None:
        warnings += _state_warnings(number, state, checked.values)
        held_from = _resumes_to(definition, state, checked.values)
        if held_from is not None:
            warnings.append(_held_note(number, definition, state, held_from))
    if errors:
        return errors, None
    return [], Row(number, cells, definition, state, checked.values, warnings, held_from)


def _state(raw, definition) -> tuple[str | None, str | None]:
    """A state of the type's lifecycle, by name or label; empty means its first state."""
    if blank(raw):
        return definition.initial, None
    text = shown(raw).strip().casefold()
    for name, spec in definition.states.items():
        # A file may give the label in any language of the app, whoever imports it.
        labels = {label.casefold() for _language, label in spec.labels.texts}
        if text in {name, name.replace("_", " "), *labels}:
            return name, None
    return (
        None,
        _(
            "is not a state of %(type)s; the states are: %(states)s",
            type=definition.title,
            states=", ".join(definition.states),
        ),
    )


def _state_warnings(number: int, state: str, values: dict) -> list[Note]:
    notes = []
    if values.get("lead_member_state") and state in (
        "fiche_drafting",
        "fiche_review",
        "call_open",
        "selection",
    ):
        notes.append(
            Note(
                number,
                "lead_member_state",
                values["lead_member_state"],
                _(
                    "a lead before the partner is chosen (%(state)s): kept as the selected partner",
                    state=state,
                ),
            )
        )
    if state == "call_open":
        notes.append(
            Note(
                number,
                "state",
                state,
                _(
                    "the call's proposal deadline is not known: no proposal can be taken and no "
                    "reminder is sent"
                ),
            )
        )
    return notes


def _resumes_to(definition, state: str, values: dict) -> str | None:
    """For a project imported on hold (suspended), the state `resume` goes back to, which a
    file does not say: the furthest the row's own values show it had reached (a start date:
    implementation; a lead Member State: the work plan), else the first state a hold is
    entered from. None for a state that is no hold."""
    if not is_hold(definition, state):
        return None
    entered_from = return_states(definition, state)
    for reached, shown_by in (("implementation", "start"), ("work_plan", "lead_member_state")):
        if reached in entered_from and values.get(shown_by):
            return reached
    return entered_from[0] if entered_from else None


def _held_note(number: int, definition, state: str, held_from: str) -> Note:
    labels = definition.states
    return Note(
        number,
        "state",
        labels[state].label,
        _(
            "on hold since the import: resuming it goes back to %(state)s (the file does not "
            "say from where it was held; judged from its dates and lead)",
            state=labels[held_from].label,
        ),
    )
