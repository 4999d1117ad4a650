"""Fixtures for operations: the API client and cast of tests/api, the log as JSON lines."""

import io
import json
import logging

import pytest
import structlog

from tests.api.conftest import api, cast  # noqa: F401 - the same fixtures as the API tests
from twinflow.ops.logs import _CHATTY_LIBRARIES, configure_logging


class LogLines:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    def records(self) -> list[dict]:
        """Every line parsed as JSON (a line that is not JSON fails the test)."""
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]


@pytest.fixture
def json_log():
    """The process's logging as production configures it, written to a buffer."""
    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream, exclusive=False)  # pytest's handlers stay
    yield LogLines(stream)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_twinflow_handler", False)]:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)
    for chatty in _CHATTY_LIBRARIES:
        logging.getLogger(chatty).setLevel(logging.NOTSET)
    structlog.reset_defaults()
