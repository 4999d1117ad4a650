"""Reference data as data: instruments, sectors, countries and Member States, priority areas.

Read from workflows/reference/*.yaml beside the lifecycles (validated at start-up like them).
`reference_for(engine)` gives the data beside the engine's lifecycles; `default_reference()`
the data of the shipped folder, for code that has no engine (user accounts).
"""

import threading
from pathlib import Path

from twinflow.reference.data import ReferenceData
from twinflow.reference.loader import load_directory

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "workflows" / "reference"

_cache: dict[str | Path, ReferenceData] = {}
_lock = threading.Lock()


def load(directory: str | Path) -> ReferenceData:
    """Loaded once per folder and kept (the files are read at start-up, not per request)."""
    # Looked up as given first: resolving a path stats each of its parts, and pages ask for
    # the reference data once per row (a country's name, a sector's label).
    found = _cache.get(directory)
    if found is not None:
        return found
    resolved = Path(directory).resolve()
    with _lock:
        found = _cache.get(resolved) or load_directory(resolved)
        _cache[resolved] = _cache[directory] = found
    return found


def reference_dir(workflows_dir: str | Path | None) -> Path:
    """workflows/reference/ beside the lifecycles in use, else the shipped one."""
    if workflows_dir is not None:
        candidate = Path(workflows_dir) / "reference"
        if candidate.is_dir():
            return candidate
    return DEFAULT_DIR


def reference_for(engine) -> ReferenceData:
    return load(reference_dir(engine.registry.directory))


def default_reference() -> ReferenceData:
    return load(DEFAULT_DIR)


__all__ = ["ReferenceData", "default_reference", "load", "reference_dir", "reference_for"]
