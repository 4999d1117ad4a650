"""Twenty identical requests at once against a real threaded HTTP server on PostgreSQL."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.factories import PASSWORD, Cast
from twinflow.audit.models import AuditEvent

CALLERS = 20


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/api/v1"
    httpd.shutdown()
    thread.join()
    httpd.server_close()


def _all_at_once(url: str, headers: dict, body: dict) -> list[requests.Response]:
    start = threading.Barrier(CALLERS)

    def call(_):
        start.wait()
        return requests.post(url, json=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(CALLERS) as pool:
        return list(pool.map(call, range(CALLERS)))


def _token(server, user) -> str:
    answer = requests.post(
        f"{server}/auth/token", json={"email": user.email, "password": PASSWORD}, timeout=30
    )
    return answer.json()["token"]


def _transitions(session, project_id) -> int:
    return session.scalar(
        select(func.count()).where(
            AuditEvent.project_id == project_id, AuditEvent.action == "transition"
        )
    )


@pytest.mark.only_backend("postgresql")
def test_twenty_identical_transitions_at_once_apply_once_and_the_rest_get_409(
    server, make, session
):
    cast = Cast(make)
    headers = {"Authorization": f"Bearer {_token(server, cast.beneficiary)}"}
    answers = _all_at_once(
        f"{server}/projects/{cast.project.id}/transitions", headers, {"trigger": "submit_fiche"}
    )
    assert Counter(a.status_code for a in answers) == {200: 1, 409: CALLERS - 1}
    refused = [a.json()["error"]["code"] for a in answers if a.status_code == 409]
    assert set(refused) == {"invalid_in_state"}
    assert _transitions(session, cast.project.id) == 1


@pytest.mark.only_backend("postgresql")
def test_twenty_retries_with_one_idempotency_key_all_get_the_first_answer(server, make, session):
    cast = Cast(make)
    headers = {
        "Authorization": f"Bearer {_token(server, cast.beneficiary)}",
        "Idempotency-Key": "submit-fiche-once",
    }
    answers = _all_at_once(
        f"{server}/projects/{cast.project.id}/transitions", headers, {"trigger": "submit_fiche"}
    )
    assert Counter(a.status_code for a in answers) == {200: CALLERS}
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == CALLERS - 1
    assert _transitions(session, cast.project.id) == 1
