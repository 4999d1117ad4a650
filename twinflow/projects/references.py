"""Project references: the normalised form search compares, so "GE 16 ENI ST 06 18",
"ge16-eni-st-06-18" and "GE/16/ENI/ST/06/18" find the same project."""

import re

from sqlalchemy import or_

from twinflow.projects.models import Project

_NOT_ALNUM = re.compile(r"[\W_]+")


def reference_key(text: str | None) -> str:
    """Capitals, letters and digits only: spacing and punctuation are ignored by search."""
    return _NOT_ALNUM.sub("", text or "").upper()


def reference_matches(text: str):
    """A WHERE clause: projects whose reference contains `text`, spacing and punctuation
    ignored (uses the indexed reference_key; an empty key matches nothing)."""
    key = reference_key(text)
    if not key:
        return Project.id.is_(None)
    return Project.reference_key.contains(key, autoescape=True)


def text_search(text: str):
    """Free-text search over what a person types to find a project: its reference (normalised),
    title and beneficiary institution. Every word must match somewhere."""
    clauses = []
    for word in text.split():
        ors = [
            Project.title.icontains(word, autoescape=True),
            Project.beneficiary_institution.icontains(word, autoescape=True),
        ]
        if reference_key(word):
            ors.append(reference_matches(word))
        clauses.append(or_(*ors))
    return clauses
