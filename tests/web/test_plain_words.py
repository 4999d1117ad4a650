"""Words where a person reads: labels from the lifecycle files instead of state and trigger
codes, people by name, line breaks kept, and the fiche's return comment where the beneficiary
lands."""

import csv
import io
import re

from tests.factories import Cast


def _named(make, role, name, **kwargs):
    user = make.user(role, **kwargs)
    user.name = name
    make.session.commit()
    return user


def _returned(make):
    cast = Cast(make)
    cast.beneficiary.name = "Nino Beridze"
    cast.coordinator.name = "Clara Coordinator"
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    make.fire(
        cast.coordinator,
        cast.project,
        "return_fiche",
        comment="Add figures to the objectives.\nThen <b>resubmit</b>.",
    )
    make.session.commit()
    return cast


def test_the_beneficiary_lands_on_the_return_comment_with_its_line_breaks(make, as_user):
    cast = _returned(make)
    page = as_user(cast.beneficiary).text(f"/projects/{cast.project.id}")
    banner = page.split('data-testid="fiche-returned"', 1)[1].split("</div>", 1)[0]
    assert "The fiche was returned</strong> by Clara Coordinator" in banner
    assert "Add figures to the objectives.<br>\nThen &lt;b&gt;resubmit&lt;/b&gt;." in banner
    assert "Read the comments on its sections and revise the fiche" in banner
    # The trail is complete: the project list, then this project's reference.
    assert f'/ <span aria-current="page">{cast.project.reference}</span>' in page


def test_the_timeline_and_audit_log_speak_in_labels_and_names(make, as_user):
    cast = _returned(make)
    admin = as_user(_named(make, "admin", "Ada Admin"))
    log = admin.text(f"/admin/audit?project={cast.project.id}")
    assert f'title="{cast.coordinator.email}">Clara Coordinator' in log  # e-mail on hover
    shown = re.sub(r"<[^>]+>", "", log)  # what a person reads, not the codes in titles
    assert "Fiche review → Fiche drafting" in shown
    for code in ("fiche_review", "fiche_drafting", "return_fiche", "submit_fiche"):
        assert code not in shown, code
    page = as_user(cast.beneficiary).text(f"/projects/{cast.project.id}")
    # The lifecycle diagram is drawn elsewhere (s21-perf makes it a server SVG): not read here.
    page = re.sub(r'<pre class="mermaid".*?</pre>', "", page, flags=re.S)
    timeline = re.sub(r"<[^>]+>", "", page)
    assert "return_fiche" not in timeline and "fiche_review" not in timeline


def test_the_audit_csv_gives_references_names_and_labels_beside_the_ids(make, as_user):
    cast = _returned(make)
    admin = as_user(_named(make, "admin", "Ada Admin"))
    response = admin.get(f"/admin/audit/export.csv?project={cast.project.id}")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    returned = next(r for r in rows if r["trigger"] == "return_fiche")
    assert returned["project_id"] == str(cast.project.id)
    assert returned["project_reference"] == cast.project.reference
    assert returned["actor_name"] == "Clara Coordinator"
    assert returned["from_state_label"] == "Fiche review"
    assert returned["to_state_label"] == "Fiche drafting"
    assert returned["trigger_label"] and "_" not in returned["trigger_label"]


def test_a_description_keeps_its_line_breaks_and_stays_escaped(make, as_user):
    cast = Cast(make)
    cast.project.description = "First aim.\nSecond <i>aim</i>."
    make.session.commit()
    page = as_user(cast.beneficiary).text(f"/projects/{cast.project.id}")
    assert "First aim.<br>\nSecond &lt;i&gt;aim&lt;/i&gt;." in page
