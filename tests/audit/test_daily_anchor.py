"""Each administrator's daily digest carries a fresh anchor of the audit chain (also appended to
the configured anchor file), or says loudly that the chain does not verify."""

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.audit.attacker import forge_successor, head
from tests.notifications.smtp_server import LoopbackSmtp
from twinflow.audit.anchors import parse_anchors, read_anchor_file
from twinflow.audit.operations import verify_chain
from twinflow.deadlines.scheduler import PassSettings, run_pass
from twinflow.notifications.smtp import SmtpSettings


@pytest.fixture
def smtp_server():
    server = LoopbackSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def settings(smtp_server, tmp_path):
    return PassSettings(
        base_url="http://twinflow.test",
        smtp=SmtpSettings(
            host=smtp_server.host, port=smtp_server.port, mail_from="t@twinflow.test", timeout=5
        ),
        timezone=ZoneInfo("UTC"),
        digest_hour=7,
        anchor_file=str(tmp_path / "anchors.jsonl"),
    )


def _next_digest_time(clock):
    clock.set(clock.now().replace(hour=7, minute=5) + timedelta(days=1))


def _digests(smtp_server, address) -> list:
    return [m for m in smtp_server.to(address) if "daily digest" in m["Subject"]]


def _plain_text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_an_admins_digest_carries_the_anchor_written_to_the_file(
    walked, session, clock, settings, smtp_server, audit_key
):
    walked.admin.digest_enabled = True
    walked.beneficiary.digest_enabled = True
    session.commit()
    _next_digest_time(clock)
    run_pass(session, clock, settings)

    [digest] = _digests(smtp_server, walked.admin.email)
    text = _plain_text(digest)
    assert "Audit trail checkpoint" in text
    [mailed] = parse_anchors("\n".join(line for line in text.splitlines() if '"sig"' in line))
    assert mailed.signed_by(audit_key)
    assert (mailed.seq, mailed.hash) == head(session)[:2]
    assert "Audit trail checkpoint" in digest.get_body(("html",)).get_content()
    [kept] = read_anchor_file(settings.anchor_file)
    assert kept.to_line() == mailed.to_line()
    assert verify_chain(session, anchors=[mailed]).anchors_matched == 1
    # Only administrators get it; another digest reader gets their notifications alone.
    [other] = _digests(smtp_server, walked.beneficiary.email)
    assert "Audit trail" not in _plain_text(other)


def test_an_admins_digest_goes_out_without_notifications_and_once_a_day(
    walked, session, clock, settings, smtp_server
):
    walked.admin.digest_enabled = True
    session.commit()
    _next_digest_time(clock)
    run_pass(session, clock, settings)
    run_pass(session, clock, settings)
    [digest] = _digests(smtp_server, walked.admin.email)
    assert "No new notifications." in _plain_text(digest)
    assert len(read_anchor_file(settings.anchor_file)) == 1


def test_a_broken_chain_is_announced_in_the_admins_digest_and_gets_no_anchor(
    walked, session, clock, settings, smtp_server
):
    walked.admin.digest_enabled = True
    forged = forge_successor(session)
    session.commit()
    _next_digest_time(clock)
    run_pass(session, clock, settings)
    [digest] = _digests(smtp_server, walked.admin.email)
    text = _plain_text(digest)
    assert f"AUDIT TRAIL BROKEN at event {forged}" in text
    assert "written without the audit key" in text
    assert "twinflow-audit-anchor" not in text
    assert not Path(settings.anchor_file).exists()
