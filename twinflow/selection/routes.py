"""The selection record's pages, picked up by create_app (any feature's routes.py)."""

from twinflow.selection.views import blueprint

__all__ = ["blueprint"]
