"""The project figures a side letter or an addendum may change, each with its own check and
how it is applied once the change is approved."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

from twinflow.changes import wording
from twinflow.i18n import DEFAULT_LANGUAGE, current_language
from twinflow.i18n import gettext as _
from twinflow.records.validation import CENTS, MAX_EUR
from twinflow.workflow.durations import add_months
from twinflow.workflow.hooks import CHANGE_FIELDS, change_field


def _amount(value, pattern: str = "#,##0") -> str:
    """An amount as the reader's language groups it; English exactly as it always read."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return f"{value:,.2f}" if pattern.endswith(".00") else f"{value:,}"
    return format_decimal(value, pattern, locale=language)


def _positive_amount() -> str:
    return _("must be a positive amount in EUR, at most %(max)s", max=_amount(MAX_EUR))


def _whole_number(value):
    return not isinstance(value, bool) and isinstance(value, int)


def _check_extend_months(value, project, definition, workflow):
    if not _whole_number(value) or value < 1:
        return None, _("must be a whole number of months, at least 1")
    if project.implementation_months is None or project.implementation_end is None:
        # An imported record may not state its period; it must be completed first.
        return None, _("the implementation period is not known: complete it first")
    high = definition.rules.months_max
    total = project.implementation_months + value
    if high is not None and total > high:
        return None, _(
            "would make the implementation %(total)s months; %(type)s allows at most %(high)s "
            "(now %(now)s)",
            total=total,
            type=definition.title,
            high=high,
            now=project.implementation_months,
        )
    return value, None


def _apply_extend_months(project, months: int) -> dict:
    old_end, old_months = project.implementation_end, project.implementation_months
    project.implementation_end = add_months(old_end, months)
    project.implementation_months = old_months + months
    return {
        "implementation_end": {
            "from": old_end.isoformat(),
            "to": project.implementation_end.isoformat(),
        },
        "implementation_months": {"from": old_months, "to": project.implementation_months},
    }


change_field("extend_months", _check_extend_months, _apply_extend_months)


def _as_decimal(value):
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        return None
    if not parsed.is_finite() or abs(parsed) > MAX_EUR:
        return None  # refused as "must be a positive amount in EUR up to ..."
    return parsed.quantize(CENTS)


def _check_budget(value, project, definition, workflow):
    budget = _as_decimal(value)
    if budget is None or budget <= 0:
        return None, _positive_amount()
    problem = definition.rules.project_problems(budget, None).get("budget_eur")
    if problem:
        return None, _("%(problem)s for %(type)s", problem=problem, type=definition.title)
    return str(budget), None


def _apply_budget(project, budget: str) -> dict:
    old = project.budget_eur
    project.budget_eur = Decimal(budget)
    return {"budget_eur": {"from": str(old), "to": budget}}


change_field("budget_eur", _check_budget, _apply_budget)


def _check_reallocation(value, project, definition, workflow):
    amount = _as_decimal(value)
    if amount is None or amount <= 0:
        return None, _positive_amount()
    percent = workflow.max_reallocation_percent
    if percent is not None and project.budget_eur is None:
        return None, _("the project's budget is not known: complete it first")
    if percent is not None and amount > project.budget_eur * percent / 100:
        return None, _(
            "exceeds %(percent)s%% of the budget (EUR %(amount)s); a larger reallocation needs "
            "an addendum",
            percent=percent,
            amount=_amount(project.budget_eur * percent / 100, "#,##0.00"),
        )
    return str(amount), None


def _apply_reallocation(project, amount: str) -> dict:
    # Budget headings are not modelled: the reallocation is recorded, the total is unchanged.
    return {"reallocation_eur": {"from": None, "to": amount}}


change_field("reallocation_eur", _check_reallocation, _apply_reallocation)


def check_changes(changes, project, definition, workflow, kind_label: str) -> tuple[dict, dict]:
    """(clean changes, errors keyed changes.<name>) for the changes this workflow permits."""
    if not isinstance(changes, dict):
        return {}, {"changes": [_("must be an object of figures to change")]}
    clean, errors = {}, {}
    for name, value in changes.items():
        if name not in workflow.changes:
            allowed = ", ".join(workflow.changes) or _("none")
            kind = kind_label.replace(" ", "_")
            errors[f"changes.{name}"] = [
                wording.cannot_change(kind, allowed, addendum_would=name in CHANGE_FIELDS)
            ]
            continue
        value, reason = CHANGE_FIELDS[name].check(value, project, definition, workflow)
        if reason:
            errors[f"changes.{name}"] = [reason]
        else:
            clean[name] = value
    if not errors:
        from twinflow.team.changes import rta_follows_extension

        errors = rta_follows_extension(clean, project, definition)
    return clean, errors
