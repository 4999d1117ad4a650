"""Imports every feature's models so the metadata is complete for Alembic and the engine.

Each feature folder with a models.py is picked up, so adding a feature never edits this file.
"""

import importlib
import pkgutil
from pathlib import Path

_PACKAGE = Path(__file__).parent

for _info in sorted(pkgutil.iter_modules([str(_PACKAGE)]), key=lambda i: i.name):
    if _info.ispkg and (_PACKAGE / _info.name / "models.py").exists():
        importlib.import_module(f"twinflow.{_info.name}.models")
