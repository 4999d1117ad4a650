"""/metrics: Prometheus' text format (read back with its own parser), counting requests and
transitions, gauges read from the database, and served only to whom the settings allow."""

import pytest
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.middleware.proxy_fix import ProxyFix

from twinflow import create_app

INTERNAL = {"REMOTE_ADDR": "127.0.0.1"}


def scrape(app, **kwargs) -> dict:
    """{(sample name, frozenset(labels)): value}, parsed by prometheus_client's parser."""
    kwargs.setdefault("environ_base", INTERNAL)
    answer = app.test_client().get("/metrics", **kwargs)
    assert answer.status_code == 200, answer.text
    assert answer.mimetype == "text/plain"
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def route_of(app, endpoint: str) -> str:
    """The URL rule a request to this endpoint is counted under."""
    return next(r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint)


def test_a_transition_and_a_request_are_counted(app, api, cast):
    before = scrape(app)
    fired = api.as_(cast.beneficiary).post(
        f"/projects/{cast.project.id}/transitions", json={"trigger": "submit_fiche"}
    )
    assert fired.status_code == 200
    after = scrape(app)
    transitions = {"workflow": "twinning", "trigger": "submit_fiche"}
    assert value(after, "twinflow_transitions_total", **transitions) == (
        value(before, "twinflow_transitions_total", **transitions) + 1
    )
    request = {
        "method": "POST",
        "route": route_of(app, "transitions.fire"),
        "status": "200",
    }
    for name in ("twinflow_http_requests_total", "twinflow_http_request_duration_seconds_count"):
        assert value(after, name, **request) == value(before, name, **request) + 1
    assert value(after, "twinflow_http_request_duration_seconds_sum", **request) > value(
        before, "twinflow_http_request_duration_seconds_sum", **request
    )


def test_a_transition_that_is_refused_or_rolled_back_is_not_counted(app, api, cast):
    key = ("twinflow_transitions_total", "close_call")
    before = value(scrape(app), key[0], workflow="twinning", trigger=key[1])
    refused = api.as_(cast.coordinator).post(
        f"/projects/{cast.project.id}/transitions", json={"trigger": "close_call"}
    )
    assert refused.status_code == 409
    assert value(scrape(app), key[0], workflow="twinning", trigger=key[1]) == before


def test_a_path_that_matches_no_route_is_counted_under_one_label(app):
    before = value(
        scrape(app), "twinflow_http_requests_total", method="GET", route="unmatched", status="404"
    )
    for path in ("/no/such/page", "/calendar/secret-token.ics.missing"):
        app.test_client().get(path)
    after = scrape(app)
    assert (
        value(after, "twinflow_http_requests_total", method="GET", route="unmatched", status="404")
        == before + 2
    )
    assert not any("secret-token" in str(labels) for _, labels in after)


def test_database_gauges_show_pending_approvals_the_outbox_and_overdue_deadlines(
    app, api, cast, clock, make
):
    project = cast.to("selection")
    make.select(cast.coordinator, project, cast.proposal)
    pending = api.as_(cast.beneficiary).post(
        f"/projects/{project.id}/transitions",
        json={"trigger": "select_partner"},
    )
    assert pending.status_code == 202, pending.json
    samples = scrape(app)
    assert value(samples, "twinflow_approvals_pending", trigger="select_partner") == 1
    assert value(samples, "twinflow_database_up") == 1
    for status in ("queued", "sending", "sent", "failed"):
        assert ("twinflow_outbox_emails", frozenset({("status", status)})) in samples
    overdue_now = value(samples, "twinflow_deadlines_overdue")

    clock.advance(days=400)
    later = scrape(app)
    assert value(later, "twinflow_deadlines_overdue") > overdue_now
    assert value(later, "twinflow_deadline_alerts_due") >= value(
        later, "twinflow_deadlines_overdue"
    )
    text = app.test_client().get("/metrics", environ_base=INTERNAL).text
    assert project.title not in text and project.reference not in text
    assert cast.beneficiary.email not in text


def test_without_a_token_only_internal_addresses_get_the_metrics(app):
    outside = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 403
    assert "twinflow_" not in outside.text
    assert app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_behind_a_proxy_the_forwarded_client_address_decides(app):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)  # as TWINFLOW_PROXY_HOPS=1 does
    client = app.test_client()
    through_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    forwarded = client.get(
        "/metrics", environ_base=through_proxy, headers={"X-Forwarded-For": "198.51.100.7"}
    )
    assert forwarded.status_code == 403
    local = client.get(
        "/metrics", environ_base=through_proxy, headers={"X-Forwarded-For": "127.0.0.1"}
    )
    assert local.status_code == 200


def test_with_a_token_the_metrics_need_it_from_any_address(app):
    app.config["METRICS_TOKEN"] = "s3cret-metrics-token"
    client = app.test_client()
    missing = client.get("/metrics", environ_base=INTERNAL)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    for given in ("Bearer nope", "Bearer s3cret-métrics-token", "Basic czNjcmV0"):
        assert client.get("/metrics", headers={"Authorization": given}).status_code == 401
    samples = scrape(
        app,
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
        headers={"Authorization": "Bearer s3cret-metrics-token"},
    )
    assert value(samples, "twinflow_database_up") == 1


def test_proxy_hops_put_the_proxy_fix_in_front(tmp_path):
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}", PROXY_HOPS=2
    )
    assert isinstance(app.wsgi_app, ProxyFix) and app.wsgi_app.x_for == 2


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("DOCUMENT_STORE", "s3", "TWINFLOW_DOCUMENT_STORE"),
        ("LOG_FORMAT", "xml", "TWINFLOW_LOG_FORMAT"),
        ("METRICS_NETWORKS", "10.0.0.0/33", "TWINFLOW_METRICS_NETWORKS"),
        ("PROXY_HOPS", -1, "TWINFLOW_PROXY_HOPS"),
    ],
)
def test_a_wrong_operations_setting_stops_start_up_naming_the_variable(setting, value, named):
    with pytest.raises(ValueError, match=named):
        create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", **{setting: value})
