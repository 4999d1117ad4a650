"""The closed vocabularies of the API, read from the running app: the lifecycles (types,
states, triggers) and the reference data (instruments, sectors, countries). The OpenAPI
document lists them as enums (fields.Vocabulary) and the server checks against the same lists,
so a client generated from the document never sends a value the server refuses."""

from flask import current_app

from twinflow.projects.listing import SORT_CHOICES


def _registry():
    return current_app.extensions["twinflow.registry"]


def _reference():
    return current_app.extensions["twinflow.reference"]


def types() -> list[str]:
    return list(_registry().names())


def states() -> list[str]:
    found: dict[str, None] = {}  # in lifecycle order, each once
    for name in _registry().names():
        found.update(dict.fromkeys(_registry().current(name).states))
    return list(found)


def triggers() -> list[str]:
    found: dict[str, None] = {}
    for name in _registry().names():
        found.update(dict.fromkeys(_registry().current(name).triggers))
    return list(found)


def instruments() -> list[str]:
    return list(_reference().instruments)


def sectors() -> list[str]:
    return list(_reference().sectors)


def countries() -> list[str]:
    """Every country code the reference data reads (EU codes, their aliases such as GR), in
    capitals and in lower case: the API has always read "ge" as "GE"."""
    reference = _reference()
    codes = sorted({*reference.countries, *reference.aliases})
    return codes + [code.lower() for code in codes]


def sorts() -> list[str]:
    return SORT_CHOICES


def new_project_sectors() -> list[str]:
    """The sectors a new project may take (older codes are kept for imported history)."""
    return list(_reference().new_project_sectors())


def new_project_instruments() -> list[str]:
    return list(_reference().new_project_instruments())


def record_triggers() -> list[str]:
    """The steps of every record workflow (reports, changes, missions ...)."""
    found: dict[str, None] = {}
    for record_type in _registry().record_types():
        found.update(dict.fromkeys(_registry().record(record_type).triggers))
    return list(found)
