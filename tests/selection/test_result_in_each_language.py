"""Each bidder hears its selection result in its own language (users.language; none = English,
as every notice), in the app and by e-mail, all told in the one statement of the fan-out."""

from email.header import decode_header, make_header

from babel.dates import format_date
from sqlalchemy import event

from tests.selection.test_result_and_reserve import _choose, _results
from twinflow.deadlines.scheduler import run_pass


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _mail_text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_content()


def test_each_member_state_user_is_told_its_result_in_their_own_language(
    session, engine, make, clock, bidding, minutes, pass_settings, smtp_server, sa_engine
):
    c = bidding.cast
    french_colleague = make.user("member_state", country="FR")
    french_colleague.language = "fr"
    c.germany.language = "fr"
    session.commit()
    inserts = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS"):
            inserts.append(statement)

    event.listen(sa_engine, "before_cursor_execute", count)
    try:
        _choose(session, engine, make, clock, bidding, minutes)
    finally:
        event.remove(sa_engine, "before_cursor_execute", count)
    project = bidding.project
    day_fr = format_date(clock.now(), "dd MMMM y", locale="fr")

    [english] = _results(session, c.france)  # no language chosen: English
    assert english.subject == f"[{project.reference}] Selection result: {project.title}"
    assert "your proposal (lead: France) was selected: it is the partner" in english.body
    [french] = _results(session, french_colleague)
    assert french.subject == f"[{project.reference}] Résultat de la sélection : {project.title}"
    assert f"décidée le {day_fr} : votre proposition (chef de file : France) a été retenue" in (
        french.body
    )
    [reserve] = _results(session, c.germany)
    assert "(chef de file : Allemagne) n’a pas été retenue; elle est en réserve" in reserve.body
    [lithuania] = _results(session, bidding.lithuania)
    assert "was not selected. Thank you for proposing." in lithuania.body
    # The bidders, whatever their languages, were told in one INSERT ... SELECT (its subquery
    # of the bidders' countries is named "told").
    assert len([s for s in inserts if " told" in s]) == 1

    run_pass(session, clock, pass_settings)
    results = {
        m["To"]: m
        for m in smtp_server.messages
        if _subject(m).endswith(f"Selection result: {project.title}")
        or _subject(m).endswith(f"Résultat de la sélection : {project.title}")
    }
    assert "Résultat de la sélection" in _subject(results[french_colleague.email])
    assert "Ouvrir dans twinflow" in _mail_text(results[french_colleague.email])
    assert "Selection result" in _subject(results[c.france.email])
    assert "Open in twinflow" in _mail_text(results[c.france.email])
