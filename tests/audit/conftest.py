"""A project walked into implementation (a chain of a few dozen events) and the test key."""

import pytest

from config import TestingConfig
from tests.factories import Cast
from twinflow.audit.keys import AuditKey


@pytest.fixture
def walked(make):
    cast = Cast(make)
    cast.to("implementation")
    return cast


@pytest.fixture
def audit_key():
    """The key the suite's engines seal with: an attacker who also holds it."""
    return AuditKey(TestingConfig.AUDIT_KEY)
