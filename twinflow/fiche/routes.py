"""The fiche's pages, picked up by create_app (any feature's routes.py with a `blueprint`).
The section template is read and checked here, at start-up: a broken file stops the app."""

from twinflow.fiche.sections import template
from twinflow.fiche.views import blueprint

template()

__all__ = ["blueprint"]
