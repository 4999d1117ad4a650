"""The refusals and labels that used to read in English on every page now speak the reader's
language: a side letter's or an addendum's refusals, "no such project", the fiche editor's
labels, the holder of a personal step. English readers and the API keep the English."""

import html
import re

import pytest
from sqlalchemy import text

from tests.web.test_records import flashes, submit
from twinflow.i18n import speaking
from twinflow.records.operations import readable_project
from twinflow.workflow.errors import NotFound

pytestmark = pytest.mark.usefixtures("backend")

# French groups thousands with a narrow no-break space.
NNBSP = "\u202f"


def in_french(session, *users):
    for user in users:
        user.language = "fr"
    session.commit()


def field_error(answer, name: str) -> str:
    found = re.search(rf'id="{name}-err">([^<]*)<', answer.get_data(as_text=True))
    assert found, f"no error on {name}"
    return html.unescape(found.group(1))


def test_a_side_letter_beyond_its_limit_is_refused_in_french(cast, as_user, session):
    project = cast.to("implementation")
    in_french(session, cast.beneficiary)
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    values = {"kind": "side_letter", "title": "Move money", "justification": "Needed."}
    refused = submit(b, f"{base}/changes", f"{base}/changes", values | {"reallocation_eur": "9e5"})
    assert refused.status_code == 422
    error = field_error(refused, "reallocation_eur")
    assert error.startswith("dépasse 15 % du budget (")
    assert error.endswith("EUR); une réaffectation plus importante exige un avenant")


def test_an_addendum_budget_too_large_is_refused_in_french_with_french_digit_groups(
    cast, as_user, session
):
    project = cast.to("implementation")
    in_french(session, cast.beneficiary)
    b, base = as_user(cast.beneficiary), f"/projects/{project.id}"
    values = {"kind": "addendum", "title": "More money", "justification": "Needed."}
    refused = submit(b, f"{base}/changes", f"{base}/changes", values | {"budget_eur": "1e40"})
    assert refused.status_code == 422
    limit = NNBSP.join(["999"] * 4)
    assert field_error(refused, "budget_eur") == (
        f"doit être un montant positif en EUR, d’au plus {limit}"
    )


def test_who_drafts_a_side_letter_is_said_in_french_and_in_english(cast, as_user, session):
    project = cast.to("implementation")
    values = {"kind": "side_letter", "title": "Move money", "justification": "Needed."}
    values |= {"reallocation_eur": "1000"}
    base = f"/projects/{project.id}"
    english = submit(as_user(cast.coordinator), f"{base}/changes", f"{base}/changes", values)
    assert english.status_code == 403
    assert (
        "Not saved: A side letter is drafted by the beneficiary or the lead Member State."
        in flashes(english.get_data(as_text=True))
    )
    in_french(session, cast.coordinator)
    french = submit(as_user(cast.coordinator), f"{base}/changes", f"{base}/changes", values)
    assert french.status_code == 403
    assert (
        "Non enregistré : Une lettre complémentaire est rédigée par le bénéficiaire ou "
        "l’État membre chef de file." in flashes(french.get_data(as_text=True))
    )


def test_no_such_project_reads_in_the_language_spoken_and_the_api_keeps_english(
    session, engine, make, app
):
    """The pages find a project before an operation is asked (visible_project), so an
    operation's NotFound is said in the request's language; the API speaks English."""
    coordinator = make.user("coordinator")
    with speaking("fr"), pytest.raises(NotFound) as refused:
        readable_project(session, engine, coordinator, 987654)
    assert refused.value.message == "Aucun projet 987654."
    with pytest.raises(NotFound) as refused:
        readable_project(session, engine, coordinator, 987654)
    assert refused.value.message == "No project 987654."


def test_who_signs_the_contract_is_said_in_a_whole_french_sentence(as_user, cast, make, session):
    cast.to("contracting")
    colleague = make.user("member_state", country="FR")
    english = html.unescape(as_user(colleague).text(f"/projects/{cast.project.id}"))
    assert (
        "Only the Member State project leader, Jeanne Martin, or their deputy can sign the "
        "contract." in english
    )
    in_french(session, colleague)
    french = html.unescape(as_user(colleague).text(f"/projects/{cast.project.id}"))
    assert (
        "Seul le chef de projet de l’État membre, Jeanne Martin, ou son suppléant peut signer "
        "le contrat." in french
    )


def _alter_event_3(session):
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER audit_events_no_update"))
    else:
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    session.execute(text("UPDATE audit_events SET actor_email = 'someone@else.eu' WHERE seq = 3"))
    session.commit()


def test_why_the_audit_chain_breaks_is_said_in_french_on_the_page_and_in_english_by_the_cli(
    cast, as_user, session, app
):
    cast.to("call_open")
    _alter_event_3(session)
    in_french(session, cast.admin)
    page = html.unescape(as_user(cast.admin).post("/admin/audit/verify", {}).get_data(True))
    assert "Chaîne rompue à l’événement 3" in page
    assert (
        "l’empreinte ne correspond pas au contenu de l’événement (modifié, ou scellé avec une "
        "autre clé)." in page
    )
    printed = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert "hash does not match the event's content (altered, or sealed with another key)" in (
        printed.output
    )


def _label(page: str, field: str) -> str:
    found = re.search(rf'<label[^>]*for="{field}"[^>]*>(.*?)</label>', page, re.S)
    assert found, f"no label for {field}"
    return html.unescape(found.group(1)).strip()


def test_the_fiche_editor_labels_its_sections_in_the_readers_language(as_user, cast, session):
    pid = cast.project.id
    english = as_user(cast.beneficiary).text(f"/projects/{pid}/fiche")
    assert _label(english, "context") == "2. Context and rationale"
    assert "Programme, twinning number" in english
    in_french(session, cast.beneficiary)
    french = as_user(cast.beneficiary).text(f"/projects/{pid}/fiche")
    assert _label(french, "context") == "2. Contexte et justification"
    assert _label(french, "overall_objective") == "3.1 Objectif global"
    assert "Programme, numéro de jumelage" in html.unescape(french)
    # The same form class, built once, still reads English to the next English reader.
    assert _label(as_user(cast.coordinator).text(f"/projects/{pid}/fiche"), "context") == (
        "2. Context and rationale"
    )


def test_the_coordinators_comment_fields_name_the_sections_in_french(as_user, cast, session):
    cast.to("fiche_review")
    in_french(session, cast.coordinator)
    page = as_user(cast.coordinator).text(f"/projects/{cast.project.id}/fiche")
    assert _label(page, "comment_context").endswith("2. Contexte et justification")


def test_the_selection_records_refusals_are_said_in_french(as_user, make, clock, session):
    from tests.web.test_selection_page import _in_selection

    bidding = _in_selection(make, clock)
    in_french(session, bidding.cast.coordinator)
    pid, fr = bidding.project.id, bidding.proposals["FR"]
    b = as_user(bidding.cast.coordinator)
    refused = b.post(
        f"/projects/{pid}/selection/eligibility/{fr.id}",
        {f"p{fr.id}-eligible": "no"},
        token_from=f"/projects/{pid}/selection",
    )
    assert refused.status_code == 422
    assert "est obligatoire lorsque la proposition n’est pas éligible" in html.unescape(
        refused.get_data(as_text=True)
    )
