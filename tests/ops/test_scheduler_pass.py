"""A scheduler pass is logged as one JSON line with its counts and recorded for /metrics."""

from tests.notifications.smtp_server import LoopbackSmtp
from tests.ops.test_metrics import scrape, value
from twinflow.deadlines.cli import _logged_job, _settings
from twinflow.ops.heartbeat import process_name


def test_a_pass_is_logged_with_its_counts_and_shown_in_the_metrics(json_log, app, cast):
    smtp = LoopbackSmtp().start()
    try:
        app.config.update(SMTP_HOST=smtp.host, SMTP_PORT=smtp.port)
        cast.to("call_open")  # state changes: notifications whose e-mails the pass sends
        job = _logged_job(app, _settings(app))
        job()
        job()
    finally:
        smtp.stop()
    first, second = [r for r in json_log.records() if r["event"] == "scheduler pass"]
    assert first["logger"] == "twinflow.scheduler" and first["duration_ms"] >= 0
    assert first["mails_sent"] == len(smtp.raw) > 0
    assert second["mails_sent"] == 0 and second["mails_queued"] == 0

    samples = scrape(app)
    me = process_name()
    assert value(samples, "twinflow_scheduler_passes_total", scheduler=me, outcome="ok") == 2
    assert value(samples, "twinflow_scheduler_passes_total", scheduler=me, outcome="failed") == 0
    sent = value(samples, "twinflow_scheduler_rows_total", scheduler=me, kind="mails_sent")
    assert sent == len(smtp.raw)
    assert value(samples, "twinflow_scheduler_last_pass_duration_seconds", scheduler=me) > 0
