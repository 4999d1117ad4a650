"""The particulars judged together (the start before the end, the total not shorter than the
implementation, the rules of live projects, Member State membership over the project's span,
the beneficiary country at that date): warnings on imported history, never refusals."""

from twinflow.i18n import gettext as _
from twinflow.reference.data import ReferenceData


def cross_checks(v: dict, given: dict, reference: ReferenceData, workflow, out) -> None:
    """Adds to `out` (a fields.Checked) a warning for each disagreement, by field."""
    start, end = v.get("start"), v.get("end")
    if start and end and end.last < start.first:
        out.warn(
            "end",
            given.get("end", end.text),
            _("is before the start (%(start)s)", start=start.text),
        )
    impl, total = v.get("implementation_months"), v.get("total_months")
    if impl and total and total < impl:
        out.warn(
            "total_months",
            given.get("total_months", total),
            _("is shorter than the implementation (%(months)s months)", months=impl),
        )
    if workflow is not None:
        for name, reason in workflow.rules.project_problems(v.get("budget_eur"), impl).items():
            if name in given:
                said = _(
                    "%(reason)s for %(type)s (a rule of live projects)",
                    reason=reason,
                    type=workflow.title,
                )
                out.warn(name, given[name], said)
        juniors = v.get("junior_member_states") or []
        if (
            juniors
            and not workflow.rules.junior_member_states_allowed
            and "junior_member_states" in given
        ):
            out.warn(
                "junior_member_states",
                given["junior_member_states"],
                _(
                    "a %(type)s project has one Member State only (a rule of live projects)",
                    type=workflow.title,
                ),
            )
    # Membership is judged over the project's known span (start to end, either alone).
    first = start.first if start else (end.first if end else None)
    last = end.last if end else (start.last if start else None)
    if first is not None:
        for name in ("lead_member_state", "junior_member_states"):
            if name not in given and "start" not in given and "end" not in given:
                continue
            codes = v.get(name) or []
            for code in [codes] if isinstance(codes, str) else codes:
                if not reference.is_member_state(code, first, last):
                    period = reference.member_states[code]
                    said = _(
                        "was not a Member State during the project (%(period)s)", period=period
                    )
                    out.warn(name, code, said)
    country = v.get("beneficiary_country")
    if (
        country
        and ("beneficiary_country" in given or "start" in given or "end" in given)
        and not reference.is_beneficiary(country, first)
    ):
        out.warn(
            "beneficiary_country",
            country,
            _("is not a Twinning beneficiary country of the reference data at that date")
            if first is not None
            else _("is not a Twinning beneficiary country of the reference data"),
        )
    lead, juniors = v.get("lead_member_state"), v.get("junior_member_states") or []
    if (
        lead
        and lead in juniors
        and ("lead_member_state" in given or "junior_member_states" in given)
    ):
        out.warn("junior_member_states", lead, _("is the lead too"))
