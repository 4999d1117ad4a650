"""What every record with its own small workflow carries (reports, side letters, addenda...), and
the registry of record models: a class with `record_type` registers itself, so a new record
workflow needs its YAML file and its model only. Co-signatures are sign-offs
(twinflow/approvals/models.py), like a project's approvals."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from twinflow.orm import utcnow
from twinflow.workflow.subjects import RECORD_MODELS


def record_model(record_type: str) -> type | None:
    """The model of a record type (filled as the models are defined, __init_subclass__)."""
    return RECORD_MODELS.get(record_type)


class RecordMixin:
    """What every record with its own small workflow carries. A mapped subclass names the
    record type(s) it stores: `record_type = "report"` (one) or `record_types = (...)` (several,
    told apart by a column its `record_type` property reads)."""

    # The texts a drafter fills in through the generic record routes (records/generic.py).
    record_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        types = cls.__dict__.get("record_types") or ()
        single = cls.__dict__.get("record_type")
        if isinstance(single, str):
            types = (single,)
        for name in types:
            RECORD_MODELS[name] = cls

    @property
    def workflow_name(self) -> str:
        return self.record_type

    @property
    def label(self) -> str:
        return f"{self.record_type.replace('_', ' ').capitalize()} {self.id}"

    state: Mapped[str] = mapped_column(String(30))
    workflow_version: Mapped[str] = mapped_column(String(16))
    # Bumped whenever signatures must be collected afresh (returned, or edited after signing).
    signing_round: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_comment: Mapped[str | None] = mapped_column(Text)
