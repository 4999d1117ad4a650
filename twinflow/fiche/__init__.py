"""The Twinning Fiche as a document the beneficiary writes: sections, revisions, comments."""

# The engine names the effect that freezes a revision (workflows/twinning*.yaml, submit_fiche);
# it must be registered before any definition is checked, and twinflow.models imports us first.
from twinflow.fiche import hooks as _hooks  # noqa: F401
