"""The sentences that name a side letter or an addendum, whole, one per kind: French gives each
kind its own gender ("une lettre complémentaire est rédigée", "un avenant est rédigé"), so a
kind's name is never glued into a shared English sentence."""

from twinflow.i18n import gettext as _
from twinflow.i18n.formats import any_of
from twinflow.workflow.parties import the_party


def _either(parties) -> str:
    """ "the beneficiary or the lead Member State"."""
    return any_of(the_party(p) for p in parties)


def drafting(kind: str) -> str:
    """The subject of "... is possible only while the project is at the stage ..."."""
    if kind == "side_letter":
        return _("Drafting a side letter")
    return _("Drafting an addendum") if kind == "addendum" else f"Drafting a {kind}"


def editing(kind: str) -> str:
    if kind == "side_letter":
        return _("Editing a side letter")
    return _("Editing an addendum") if kind == "addendum" else f"Editing a {kind}"


def drafted_by(kind: str, parties) -> str:
    if kind == "side_letter":
        return _("A side letter is drafted by %(parties)s.", parties=_either(parties))
    if kind == "addendum":
        return _("An addendum is drafted by %(parties)s.", parties=_either(parties))
    return f"A {kind.replace('_', ' ')} is drafted by {_either(parties)}."


def cannot_change(kind: str, allowed: str, addendum_would: bool) -> str:
    """A change the kind may not make; `addendum_would`: an addendum may make it."""
    if kind == "side_letter":
        if addendum_would:
            return _(
                "a side letter cannot change this (it may change: %(allowed)s); use an addendum",
                allowed=allowed,
            )
        return _("a side letter cannot change this (it may change: %(allowed)s)", allowed=allowed)
    if kind == "addendum":
        if addendum_would:  # a figure only a side letter changes
            return _(
                "an addendum cannot change this (it may change: %(allowed)s); use a side letter",
                allowed=allowed,
            )
        return _("an addendum cannot change this (it may change: %(allowed)s)", allowed=allowed)
    hint = "; use another kind of change" if addendum_would else ""
    return f"a {kind.replace('_', ' ')} cannot change this (it may change: {allowed}){hint}"
