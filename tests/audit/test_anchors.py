"""`twinflow audit anchor` writes signed checkpoints outside the database, and `twinflow audit
verify --anchors FILE` names a history re-chained, forged, cut or wound back behind one."""

import json
from datetime import UTC, datetime

import pytest

from tests.audit.attacker import (
    change_actor,
    cut_tail,
    forge_successor,
    guards_off,
    head,
    rechain,
    set_head,
)
from twinflow.audit.anchors import read_anchor_file, sign_anchor
from twinflow.audit.keys import AuditKey

MIDDLE = 6


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["audit", *args])


@pytest.fixture
def anchored(walked, session, cli, tmp_path):
    """The walked chain with an anchor of its head in a file."""
    session.commit()
    path = tmp_path / "anchors.jsonl"
    made = cli("anchor", "--output", str(path))
    assert made.exit_code == 0, made.output
    return path


def test_audit_anchor_appends_a_signed_checkpoint_of_the_head(
    anchored, session, make, walked, cli, audit_key
):
    seq, last_hash, keyed_from = head(session)
    [anchor] = read_anchor_file(anchored)
    assert (anchor.seq, anchor.hash, anchor.keyed_from) == (seq, last_hash, keyed_from)
    assert anchor.key_id == audit_key.key_id and anchor.signed_by(audit_key)
    assert anchor.at.startswith("2027-")  # the app's clock
    assert audit_key.sign("") not in anchored.read_text()  # a signature, not the key

    make.fire(walked.coordinator, walked.project, "suspend", comment="Audit visit")
    again = cli("anchor", "--output", str(anchored))
    assert again.exit_code == 0 and f"anchored event {seq + 1}" in again.output
    assert [a.seq for a in read_anchor_file(anchored)] == [seq, seq + 1]
    checked = cli("verify", "--anchors", str(anchored))
    assert checked.exit_code == 0, checked.output
    assert "2 anchor(s) matched" in checked.output


def test_a_tail_cut_with_the_head_wound_back_is_named_only_against_an_anchor(
    anchored, session, backend, cli
):
    last = head(session)[0]
    with guards_off(session, backend):
        kept = cut_tail(session, 3)
    session.commit()
    # Without an anchor the shorter chain is consistent: that is what anchors are for.
    assert cli("verify").exit_code == 0
    broken = cli("verify", "--anchors", str(anchored))
    assert broken.exit_code == 1
    assert f"BROKEN at event {kept + 1}:" in broken.output
    assert f"events {kept + 1}-{last} were removed and the head wound back" in broken.output


def test_a_cut_tail_refilled_with_new_events_differs_from_the_anchor(
    anchored, session, backend, make, walked, cli
):
    last = head(session)[0]
    with guards_off(session, backend):
        cut_tail(session, 2)
    session.commit()
    for trigger in ("suspend", "resume", "suspend"):  # the app goes on, past the anchor
        make.fire(walked.coordinator, walked.project, trigger, comment="Steering decision")
    assert head(session)[0] > last
    broken = cli("verify", "--anchors", str(anchored))
    assert broken.exit_code == 1
    assert f"BROKEN at event {last}: differs from the anchor" in broken.output


def test_a_history_rechained_by_a_key_holder_differs_from_the_anchor(
    anchored, session, backend, cli, audit_key
):
    with guards_off(session, backend):
        rechain(session, MIDDLE, key=audit_key, edit=change_actor("someone.else@example.eu"))
    session.commit()
    assert cli("verify").exit_code == 0  # the documented limit: the key holder's rewrite
    broken = cli("verify", "--anchors", str(anchored))
    assert broken.exit_code == 1
    assert f"BROKEN at event {head(session)[0]}: differs from the anchor" in broken.output


def test_a_history_rewritten_without_the_key_and_declared_unkeyed_is_named_against_an_anchor(
    anchored, session, backend, cli
):
    # The attacker re-chains everything with plain SHA-256 and moves the keying record to
    # the end, as if keying had not begun: consistent, unless an anchor says where it began.
    with guards_off(session, backend):
        rechain(session, 1, edit=change_actor("someone.else@example.eu"))
        set_head(session, keyed_from=head(session)[0] + 1)
    session.commit()
    assert cli("verify").exit_code == 0
    broken = cli("verify", "--anchors", str(anchored))
    assert broken.exit_code == 1
    assert "BROKEN at event 1: written without the audit key" in broken.output


def test_a_forged_successor_is_named_and_gets_no_anchor(walked, session, cli, tmp_path):
    forged = forge_successor(session)
    session.commit()
    path = tmp_path / "anchors.jsonl"
    refused = cli("anchor", "--output", str(path))
    assert refused.exit_code == 1
    assert "No anchor written" in refused.output
    assert f"BROKEN at event {forged}: written without the audit key" in refused.output
    assert not path.exists()


def test_a_keying_record_moved_forward_is_named_against_an_anchor(anchored, session, backend, cli):
    # Every event still verifies, sealed from event 1 as the anchor says; only the record of
    # where keying began was moved (to pass a later rewrite of events 1-2 off as unkeyed).
    with guards_off(session, backend):
        set_head(session, keyed_from=3)
    session.commit()
    result = cli("verify", "--anchors", str(anchored))
    assert result.exit_code == 1
    assert (
        "the keying record says keying began at event 3, the anchors say 1 (the record was moved)"
        in result.output
    )


def test_an_edited_anchor_or_one_of_another_key_is_refused(anchored, cli, tmp_path):
    line = json.loads(anchored.read_text())
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps(line | {"seq": line["seq"] - 2}) + "\n")
    result = cli("verify", "--anchors", str(edited))
    assert result.exit_code == 1
    assert "anchor on line 1 does not carry this audit key's signature" in result.output

    other = AuditKey("another-audit-key-of-at-least-32-characters")
    foreign = sign_anchor(other, seq=1, hash=line["hash"], at=datetime.now(UTC), keyed_from=1)
    (tmp_path / "foreign.jsonl").write_text(foreign.to_line() + "\n")
    result = cli("verify", "--anchors", str(tmp_path / "foreign.jsonl"))
    assert result.exit_code == 1 and "made with another audit key" in result.output


def test_an_anchor_file_that_is_not_anchors_is_named_with_its_line(walked, session, cli, tmp_path):
    session.commit()
    path = tmp_path / "anchors.jsonl"
    path.write_text("# kept by the auditors\n\nnot json\n")
    result = cli("verify", "--anchors", str(path))
    assert result.exit_code == 1 and "line 3: not JSON" in result.output
    missing = cli("verify", "--anchors", str(tmp_path / "nowhere.jsonl"))
    assert missing.exit_code == 1 and "cannot use the anchors" in missing.output
    # JSON, but not an anchor: another format, or not even an object.
    for line in ('{"format": "some-other-checkpoint/1", "seq": 1}', "[1, 2]"):
        path.write_text(f"# kept by the auditors\n{line}\n")
        result = cli("verify", "--anchors", str(path))
        assert result.exit_code == 1
        assert "line 2: not an anchor (format is not twinflow-audit-anchor/1)" in result.output


def test_anchor_names_the_setting_when_there_is_no_file_and_uses_it_when_set(
    app, walked, session, cli, tmp_path
):
    session.commit()
    nowhere = cli("anchor")
    assert nowhere.exit_code == 1 and "TWINFLOW_AUDIT_ANCHOR_FILE" in nowhere.output
    app.config["AUDIT_ANCHOR_FILE"] = str(tmp_path / "configured.jsonl")
    assert cli("anchor").exit_code == 0
    checked = cli("verify")  # the configured file is read without being named
    assert checked.exit_code == 0
    assert "1 anchor(s) matched" in checked.output and "configured.jsonl" in checked.output


def test_anchor_to_standard_output_prints_one_signed_line(walked, session, cli, audit_key):
    session.commit()
    printed = cli("anchor", "--output", "-")
    assert printed.exit_code == 0
    anchor = json.loads(printed.stdout)
    assert anchor["seq"] == head(session)[0] and anchor["key_id"] == audit_key.key_id
