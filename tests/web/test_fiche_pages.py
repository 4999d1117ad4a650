"""The fiche's pages: the editor, a return with comments on sections, the revision diff, and
a print view and PDF of each revision."""

import io

from pypdf import PdfReader


def _save(page, pid, **sections):
    form = {"context": "", "components": "", "version": ""} | sections
    return page.post(f"/projects/{pid}/fiche", form, token_from=f"/projects/{pid}/fiche")


def test_a_returned_fiche_is_edited_resubmitted_and_the_diff_shows_the_change(as_user, cast, make):
    beneficiary, coordinator = as_user(cast.beneficiary), as_user(cast.coordinator)
    pid = cast.project.id
    saved = _save(
        beneficiary,
        pid,
        context="Prisons are <crowded>.",
        components="Probation\n- A probation service\n  * 20 officers trained",
        version="0",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    make.fire(cast.beneficiary, cast.project, "submit_fiche")

    page = coordinator.text(f"/projects/{pid}/fiche")
    assert 'data-testid="fiche-editor"' not in page and "Return for revision" in page
    returned = coordinator.post(
        f"/projects/{pid}/fiche/return",
        {"comment_context": "Give the occupancy rate.", "comment": "Needs figures."},
        token_from=f"/projects/{pid}/fiche",
    )
    assert returned.status_code == 302, returned.get_data(as_text=True)[:2000]

    page = beneficiary.text(f"/projects/{pid}/fiche")
    assert 'data-testid="fiche-editor"' in page
    assert "Give the occupancy rate." in page
    resaved = _save(
        beneficiary,
        pid,
        context="Prisons run at 140% of capacity.",
        components="Probation\n- A probation service\n  * 20 officers trained",
        version="1",
    )
    assert resaved.status_code == 302
    make.fire(cast.beneficiary, cast.project, "submit_fiche")

    diff = beneficiary.text(f"/projects/{pid}/fiche/diff?from=1&to=2")
    assert '<del class="diff-removed">are &lt;crowded&gt;.</del>' in diff
    assert '<ins class="diff-added">run at 140% of capacity.</ins>' in diff
    assert "Probation" not in diff.split('data-testid="fiche-diff"')[1]  # unchanged: not shown


def test_a_stale_editor_is_refused_and_says_so(as_user, cast):
    beneficiary = as_user(cast.beneficiary)
    pid = cast.project.id
    assert _save(beneficiary, pid, context="First.", version="0").status_code == 302
    stale = _save(beneficiary, pid, context="Over it.", version="0")
    assert stale.status_code == 409
    assert "changed since you loaded it" in stale.get_data(as_text=True)


def test_an_outline_that_cannot_be_read_is_refused_naming_the_line(as_user, cast):
    response = _save(as_user(cast.beneficiary), cast.project.id, components="* orphan")
    assert response.status_code == 422
    assert "line 1: an indicator must follow a result" in response.get_data(as_text=True)


def test_each_revision_prints_and_downloads_as_a_pdf_with_its_title(as_user, cast, make):
    beneficiary = as_user(cast.beneficiary)
    pid = cast.project.id
    _save(beneficiary, pid, context="Სასჯელაღსრულების სისტემა", version="0")
    make.fire(cast.beneficiary, cast.project, "submit_fiche")

    printed = beneficiary.text(f"/projects/{pid}/fiche/revisions/1")
    assert cast.project.title in printed and "Სასჯელაღსრულების" in printed
    pdf = beneficiary.get(f"/projects/{pid}/fiche/revisions/1.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert cast.project.title in text
    assert "2. Context and rationale" in text
    assert reader.metadata.title == cast.project.title
    assert beneficiary.get(f"/projects/{pid}/fiche/revisions/2.pdf").status_code == 404


def test_particulars_are_refused_on_the_page_once_the_call_is_open(as_user, cast):
    beneficiary = as_user(cast.beneficiary)
    pid = cast.project.id
    form = {
        "title": "Probation in Georgia",
        "beneficiary_institution": cast.project.beneficiary_institution,
        "sector": "JH",
        "instrument": "ENI",
        "budget_eur": "1500000",
        "implementation_months": "24",
    }
    saved = beneficiary.post(
        f"/projects/{pid}/fiche/particulars", form, token_from=f"/projects/{pid}/fiche"
    )
    assert saved.status_code == 302
    cast.to("call_open")
    assert "particulars-form" not in beneficiary.text(f"/projects/{pid}/fiche")
    refused = beneficiary.post(
        f"/projects/{pid}/fiche/particulars", form | {"title": "Late"}, token_from="/"
    )
    assert refused.status_code == 409
    assert "until the call opens" in refused.get_data(as_text=True)


def test_a_member_state_sees_the_circulated_revision_and_never_a_draft(as_user, cast, make):
    beneficiary = as_user(cast.beneficiary)
    pid = cast.project.id
    _save(beneficiary, pid, context="CIRCULATED-TEXT", version="0")
    cast.to("call_open")
    france = as_user(cast.france)
    page = france.text(f"/projects/{pid}/fiche")
    assert "CIRCULATED-TEXT" in page and "As circulated: revision 1" in page
    assert "fiche-editor" not in page and "particulars-form" not in page
    assert france.get(f"/projects/{pid}/fiche/revisions/1.pdf").status_code == 200
    assert france.get(f"/projects/{pid}/fiche/revisions/2").status_code == 404
