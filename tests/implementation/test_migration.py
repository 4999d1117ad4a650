from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from twinflow import models  # noqa: F401 - every feature's tables
from twinflow.implementation import models as implementation
from twinflow.orm import Base

OURS = {
    table.name
    for table in Base.metadata.sorted_tables
    if table.name in {m.__table__.name
        for m in vars(implementation).values()
                      if isinstance(m, type) and hasattr(m, "__table__")}
}  # fmt: skip


def test_the_migrations_build_exactly_the_implementation_tables_of_the_models(sa_engine):
    assert len(OURS) == 11  # with document_chunks (TWINFLOW_DOCUMENT_STORE=database)
    with sa_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    # Each difference as text; ours are those naming one of our tables.
    mentioning_ours = [op for op in diff if any(f"'{name}'" in repr(op) for name in OURS)]
    assert mentioning_ours == []
