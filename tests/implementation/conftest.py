"""Fixtures for implementation records: a project in implementation, file storage, limits."""

import pytest
from sqlalchemy import select

from tests.factories import Cast
from twinflow.deadlines.models import Deadline
from twinflow.documents.storage import LocalStorage, UploadLimits

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def cast(make):
    """One user per party; the project is a 24-month Twinning, its contract just signed."""
    cast = Cast(make)
    cast.to("implementation")
    return cast


@pytest.fixture
def storage(tmp_path):
    return LocalStorage(tmp_path / "uploads")


@pytest.fixture
def limits():
    return UploadLimits(max_bytes=64 * 1024)


def deadlines(session, project_id, key_prefix=""):
    """The project's deadlines as stored now (operations change them in bulk)."""
    return list(
        session.scalars(
            select(Deadline)
            .where(Deadline.project_id == project_id, Deadline.key.startswith(key_prefix))
            .order_by(Deadline.due_at, Deadline.id)
            .execution_options(populate_existing=True)
        )
    )
