"""Reading a project's particulars as a source states them: one function per field, shared by
the import (a spreadsheet's cells) and corrections (PATCH, the web form).

A value that cannot be stored (not a date, an unknown country) is an error naming the reason;
a value that breaks a rule guarding live steps (a Twinning budget at or under EUR 250,000, 12
to 36 months, a Member State outside its membership, juniors on a Twinning Light) is what the
source states: a warning, never a refusal.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from twinflow.i18n import gettext as _
from twinflow.partial_dates import FORMS, PartialDate, parse
from twinflow.projects.cross_checks import cross_checks
from twinflow.reference.data import ReferenceData
from twinflow.text import control_problem

# Every particular an import row or a correction may give, in the order reports name them.
PARTICULARS = (
    "reference",
    "title",
    "instrument",
    "beneficiary_country",
    "beneficiary_institution",
    "sector",
    "budget_eur",
    "implementation_months",
    "total_months",
    "start",
    "end",
    "lead_member_state",
    "junior_member_states",
    "status_note",
    "source_url",
    "priority_area",
    "subsector",
    "topic",
)
# What the public page files a project under: a coordinator sets them on any project.
PUBLICATION = ("priority_area", "subsector", "topic")
REQUIRED = ("title", "beneficiary_country")
LENGTHS = {
    "reference": 60,
    "title": 300,
    "beneficiary_institution": 200,
    "status_note": 4000,
    "topic": 300,
}
MAX_BUDGET = Decimal("999999999999.99")
MAX_MONTHS = 600
_MONTHS = re.compile(r"^(\d{1,3})\s*(?:/\s*(\d{1,3}))?\s*(?:months?|m)?\.?$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_UNLISTED_SECTOR = re.compile(r"^[A-Za-z]{2,4}$")
_UNLISTED_INSTRUMENT = re.compile(r"^[A-Za-z][A-Za-z0-9 .\-]{0,19}$")


class Problem(ValueError):
    """Why a value cannot be stored."""


@dataclass
class Checked:
    """What a set of particulars reads as: clean values, errors and warnings by field, each
    (value as given, reason)."""

    values: dict = field(default_factory=dict)
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # (field, value, reason)

    def warn(self, name: str, value, reason: str) -> None:
        self.warnings.append((name, shown(value), reason))


def shown(value) -> str:
    """A cell as a report quotes it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_particulars(
    given: dict, reference: ReferenceData, *, workflow=None, current: dict | None = None
) -> Checked:
    """Each given field read on its own, then the rules across fields checked on the values
    the project would have (`current` overlaid with the given ones). `workflow`: the
    Definition of the project's type (its rules), if known."""
    out = Checked()
    for name in PARTICULARS:
        if name not in given:
            continue
        raw = given[name]
        if blank(raw):
            if name in REQUIRED:
                out.errors[name] = ("", _("is required"))
            else:
                out.values[name] = [] if name == "junior_member_states" else None
            continue
        try:
            out.values[name] = READERS[name](raw, reference, out)
        except Problem as exc:
            out.errors[name] = (shown(raw), str(exc))
    if "implementation_months" in out.values and isinstance(
        given.get("implementation_months"), str
    ):
        total = _split_total(given["implementation_months"])
        if total is not None:
            if "total_months" not in given or blank(given.get("total_months")):
                out.values["total_months"] = total
            elif out.values.get("total_months") not in (None, total):
                out.errors["total_months"] = (
                    shown(given["total_months"]),
                    _("differs from the total in implementation_months (%(total)s)", total=total),
                )
    merged = dict(current or {}) | out.values
    _check_subsector(merged, given, reference, out)
    cross_checks(merged, given, reference, workflow, out)
    return out


def _check_subsector(v: dict, given: dict, reference: ReferenceData, out: Checked) -> None:
    """A subsector belongs to the project's priority area (an error: the public page would
    file the project under an area and a subsector of another)."""
    sub, area = v.get("subsector"), v.get("priority_area")
    if not sub or ("subsector" not in given and "priority_area" not in given):
        return
    if "subsector" in out.errors or "priority_area" in out.errors:
        return
    found = reference.priority_areas.get(area or "")
    codes = [s.code for s in found.subsectors] if found else []
    if sub not in codes:
        reason = (
            _("is not a subsector of the priority area %(area)s", area=area)
            if found
            else _("needs its priority area: give priority_area too")
        )
        if codes:
            reason = _(
                "%(reason)s; its subsectors: %(codes)s", reason=reason, codes=", ".join(codes)
            )
        out.errors["subsector"] = (shown(given.get("subsector", sub)), reason)


# -- one reader per field: raw cell -> stored value (raise Problem) -------------------------


def _text(name: str, multiline: bool = False):
    def read(raw, reference, out):
        text = shown(raw).strip()
        problem = control_problem(text, multiline=multiline)
        if problem:
            raise Problem(problem)
        if len(text) > LENGTHS[name]:
            raise Problem(_("must be at most %(max)s characters", max=LENGTHS[name]))
        return text

    return read


def _reference(raw, reference, out):
    text = _text("reference")(raw, reference, out)
    if not re.search(r"\w", text):
        raise Problem(_("must contain a letter or a digit"))
    return text


def _instrument(raw, reference: ReferenceData, out):
    text = shown(raw).strip()
    code = reference.instrument_code(text)
    if code is not None:
        return code
    if not _UNLISTED_INSTRUMENT.match(text):
        raise Problem(
            _(
                "is not an instrument of the reference data, nor a code of at most 20 letters "
                "and digits; known: %(known)s",
                known=", ".join(reference.instruments),
            )
        )
    out.warn(
        "instrument",
        raw,
        _("not in the reference data (workflows/reference/instruments.yaml): kept as written"),
    )
    return text


def _sector(raw, reference: ReferenceData, out):
    text = shown(raw).strip()
    code = reference.sector_code(text)
    if code is not None:
        return code
    if not _UNLISTED_SECTOR.match(text):
        raise Problem(
            _(
                "is not a sector code (2 to 4 letters); known: %(known)s",
                known=", ".join(reference.sectors),
            )
        )
    out.warn(
        "sector",
        raw,
        _("not in the reference data (workflows/reference/sectors.yaml): kept as written"),
    )
    return text.upper()


def _country(raw, reference: ReferenceData, out):
    code = reference.country_code(shown(raw))
    if code is None:
        raise Problem(_("is not a country code (ISO 3166 two letters, or EL, UK, XK)"))
    return code


def _member_state(raw, reference: ReferenceData, out):
    code = reference.country_code(shown(raw))
    if code is None or code not in reference.member_states:
        raise Problem(_("is not the code of an EU Member State, present or past"))
    return code


def _juniors(raw, reference: ReferenceData, out):
    # A cell ("FI;NL") or a list (the API's).
    parts = raw if isinstance(raw, list | tuple) else re.split(r"[;,]", shown(raw))
    codes = [shown(c).strip() for c in parts if shown(c).strip()]
    found: list[str] = []
    for text in codes:
        try:
            code = _member_state(text, reference, out)
        except Problem as exc:
            raise Problem(f"{text}: {exc}") from None
        if code in found:
            out.warn(
                "junior_member_states", raw, _("%(code)s is listed twice: kept once", code=code)
            )
        else:
            found.append(code)
    return found


def _budget(raw, reference, out):
    if isinstance(raw, bool):
        raise Problem(_("is not an amount in EUR"))
    if isinstance(raw, int | float | Decimal):
        amount = Decimal(str(raw))
    else:
        text = re.sub(r"(?i)^\s*(eur|€)\s*|\s*(eur|€)\s*$", "", shown(raw))
        text = re.sub(r"[\s,'\u00a0\u202f]", "", text)
        if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", text):  # 1.500.000: dots as thousands
            text = text.replace(".", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise Problem(_("is not an amount in EUR (e.g. 1500000 or 1,500,000.00)")) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise Problem(_("must be an amount from 0 to %(max)s", max=format(MAX_BUDGET, ",")))
    return amount.quantize(Decimal("0.01"))


def _months(name: str):
    def read(raw, reference, out):
        if isinstance(raw, bool):
            raise Problem(_("is not a number of months"))
        if isinstance(raw, int | float):
            if not float(raw).is_integer():
                raise Problem(_("must be a whole number of months"))
            months = int(raw)
        else:
            match = _MONTHS.match(shown(raw).strip())
            if match is None or (match[2] and name == "total_months"):
                raise Problem(_("is not a number of months (e.g. 24, or 21/24 for 21 of 24)"))
            months = int(match[1])
        if not 1 <= months <= MAX_MONTHS:
            raise Problem(_("must be from 1 to %(max)s months", max=MAX_MONTHS))
        return months

    return read


def _split_total(text: str) -> int | None:
    match = _MONTHS.match(text.strip())
    return int(match[2]) if match and match[2] else None


def _date(raw, reference, out) -> PartialDate:
    try:
        return parse(raw)
    except ValueError as exc:
        raise Problem(str(exc)) from None


def _priority_area(raw, reference: ReferenceData, out):
    code = shown(raw).strip().lower()
    if code not in reference.priority_areas:
        raise Problem(
            _(
                "is not a priority area of the reference data; known: %(known)s",
                known=", ".join(reference.priority_areas),
            )
        )
    return code


def _subsector(raw, reference: ReferenceData, out):
    code = shown(raw).strip().lower()
    known = {s.code for a in reference.priority_areas.values() for s in a.subsectors}
    if code not in known:
        raise Problem(_("is not a subsector of the reference data (priority_areas.yaml)"))
    return code


def _url(raw, reference, out):
    text = shown(raw).strip()
    if len(text) > 500 or not _URL.match(text) or control_problem(text):
        raise Problem(_("must be a web address starting with http:// or https:// (500 at most)"))
    return text


READERS = {
    "reference": _reference,
    "title": _text("title"),
    "instrument": _instrument,
    "beneficiary_country": _country,
    "beneficiary_institution": _text("beneficiary_institution"),
    "sector": _sector,
    "budget_eur": _budget,
    "implementation_months": _months("implementation_months"),
    "total_months": _months("total_months"),
    "start": _date,
    "end": _date,
    "lead_member_state": _member_state,
    "junior_member_states": _juniors,
    "status_note": _text("status_note", multiline=True),
    "source_url": _url,
    "priority_area": _priority_area,
    "subsector": _subsector,
    "topic": _text("topic"),
}


__all__ = ["FORMS", "PARTICULARS", "Checked", "check_particulars", "shown", "blank"]
