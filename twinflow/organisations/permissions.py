"""Who may manage organisations and memberships: administrators only, as for the users'
directory (twinflow/auth/permissions.py). Who sees which project by the countries an
organisation covers is twinflow/projects/permissions.py (`coordinator_scope`)."""


def can_manage_organisations(user) -> bool:
    return user is not None and getattr(user, "is_active", False) and user.role == "admin"
