"""Upgrading to the fiche as a document (migration 0015): every existing project gets a
fiche without revisions, built from what it had."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select

from twinflow.fiche.models import Fiche, FicheRevision


def test_existing_projects_get_revisionless_fiches_from_their_particulars(app, make, cast, api):
    described = make.project(cast.beneficiary, description="Prisons are overcrowded.")
    cast.to("call_open")
    make.session.rollback()  # no transaction of ours may hold the tables being dropped
    with app.app_context():
        downgrade(revision="0014")
        upgrade()
    session = make.session
    session.expire_all()
    fiches = {f.project_id: f.sections for f in session.scalars(select(Fiche))}
    assert fiches == {cast.project.id: {}, described.id: {"context": "Prisons are overcrowded."}}
    assert session.scalar(select(func.count()).select_from(FicheRevision)) == 0

    beneficiary = api.as_(cast.beneficiary)
    fiche = beneficiary.get(f"/projects/{described.id}/fiche")
    assert fiche.status_code == 200
    assert fiche.json["sections"]["context"] == "Prisons are overcrowded."
    assert fiche.json["revision"] is None
    assert fiche.json["particulars"]["title"] == described.title
    # The call opened before the upgrade: no revision was circulated, none is invented.
    assert api.as_(cast.france).get(f"/projects/{cast.project.id}/fiche").status_code == 404
