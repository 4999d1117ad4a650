"""Who is a National Contact Point, who forwards, and who sees a forwarding: one rule each."""

from twinflow.projects.permissions import can_view_project


def is_ncp(user) -> bool:
    """A Member State user whose organisation is its country's National Contact Point (an
    administrator attaches the user to an organisation of kind `ncp`)."""
    organisation = getattr(user, "affiliation", None)
    return (
        user is not None
        and user.is_active
        and user.role == "member_state"
        and organisation is not None
        and organisation.kind == "ncp"
        and bool(user.country)
        and organisation.country == user.country
    )


def can_forward_call(user, project) -> bool:
    return is_ncp(user) and can_view_project(user, project)


def can_view_forwarding(user, project, forwarding) -> bool:
    """The institutions (and the NCP) of the forwarding's Member State only: another Member
    State never learns what a rival's NCP told its institutions."""
    return (
        can_view_project(user, project)
        and user.role == "member_state"
        and user.country == forwarding.member_state
    )
