"""Logs as JSON lines: each request logged with its request id (the one given in X-Request-ID,
or a new one), route, status, duration and user; everything logged while serving carries
the id too; the id comes back in the response."""

import re


def _request_lines(json_log) -> list[dict]:
    return [r for r in json_log.records() if r["event"] == "request"]


def test_a_request_is_logged_as_one_json_line_with_the_request_id_given(json_log, app, api, cast):
    answer = api.as_(cast.beneficiary).get(
        f"/projects/{cast.project.id}", headers={"X-Request-ID": "lb-7f3a-0001"}
    )
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == "lb-7f3a-0001"
    (line,) = [r for r in _request_lines(json_log) if r["request_id"] == "lb-7f3a-0001"]
    assert line["route"].startswith("/api/v1/projects/<") and line["method"] == "GET"
    assert line["status"] == 200 and line["user_id"] == cast.beneficiary.id
    assert line["duration_ms"] >= 0 and line["level"] == "info"
    assert line["timestamp"].endswith("Z")


def test_a_request_without_an_id_or_with_an_unsafe_one_gets_a_new_id(json_log, app):
    client = app.test_client()
    made = client.get("/login").headers["X-Request-ID"]
    replaced = client.get("/login", headers={"X-Request-ID": "evil id with spaces <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    new = replaced.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", new) and new != made
    ids = [line["request_id"] for line in _request_lines(json_log)]
    assert ids == [made, new]
    assert all(line["user_id"] is None for line in _request_lines(json_log))


def test_an_error_logged_while_serving_carries_the_request_id_and_stays_out_of_the_answer(
    json_log, app
):
    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    answer = app.test_client().get("/test-only/boom", headers={"X-Request-ID": "req-500"})
    assert answer.status_code == 500 and "hunter2" not in answer.text
    lines = [r for r in json_log.records() if r.get("request_id") == "req-500"]
    error, request = lines
    assert error["level"] == "error" and "hunter2" in error["exception"]
    assert request["event"] == "request" and request["status"] == 500
    assert request["route"] == "/test-only/boom"


def test_a_transition_at_info_logs_our_lines_without_the_state_machine_narrating_callbacks(
    json_log, app, api, cast
):
    body = {"trigger": "submit_fiche"}
    answer = api.as_(cast.beneficiary).post(f"/projects/{cast.project.id}/transitions", json=body)
    assert answer.status_code == 200
    loggers = {line.get("logger") for line in json_log.records()}
    assert not [name for name in loggers if name and name.startswith("transitions")]
    assert [r for r in _request_lines(json_log) if r["method"] == "POST"]
