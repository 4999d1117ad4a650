"""Validating the data a trigger declares (e.g. approve_fiche's proposal_deadline)."""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from twinflow.text import control_problem
from twinflow.workflow.definition import TransitionSpec
from twinflow.workflow.errors import InvalidData

# Dates far out (year 9999) overflow the deadline arithmetic done on them later.
YEARS = (1900, 2200)


def _check_year(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"must be between the years {YEARS[0]} and {YEARS[1]}")


def _parse(kind: str, value):
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date-time string, e.g. 2027-03-01T12:00:00Z")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("is not an ISO 8601 date-time, e.g. 2027-03-01T12:00:00Z") from None
        if parsed.tzinfo is None:
            raise ValueError("needs a time zone (UTC: end it with Z)")
        _check_year(parsed.year)
        return parsed.astimezone(UTC)
    if kind == "date":
        try:
            parsed_date = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError("is not an ISO 8601 date, e.g. 2027-03-01") from None
        _check_year(parsed_date.year)
        return parsed_date
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError("must be a string")
        problem = control_problem(value)
        if problem:
            raise ValueError(problem)
        return value.strip()
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        return value
    if kind == "decimal":
        if isinstance(value, bool):
            raise ValueError("must be a number")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError("must be a number") from None
    raise ValueError(f"has an unknown type {kind!r}")


def parse_trigger_data(
    spec: TransitionSpec, data, now: datetime, check_future: bool = True
) -> dict:
    """All errors together, keyed by field; unknown fields are refused, never ignored."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidData({"data": ["must be an object"]})
    declared = {f.name: f for f in spec.data}
    errors: dict[str, list[str]] = {}
    for name in data:
        if name not in declared:
            allowed = ", ".join(declared) or "none"
            errors[name] = [f"unknown field for {spec.trigger} (accepted: {allowed})"]
    values = {}
    for name, field in declared.items():
        raw = data.get(name)
        if raw is None:
            if field.required:
                errors[name] = ["is required"]
            continue
        try:
            value = _parse(field.type, raw)
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        if check_future and field.future and value <= now:
            errors[name] = ["must be in the future"]
            continue
        values[name] = value
    if errors:
        raise InvalidData(errors)
    return values
