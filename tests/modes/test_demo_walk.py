"""The demo's indirect-management project, walked through the pages by its accounts: the EU
Delegation to Armenia endorses the contract, the CFCU of Armenia signs it, the lead Member
State signs last; the CFCU could not have signed first."""

import re

from sqlalchemy import select

from tests.web.conftest import Browser
from twinflow.auth.models import User
from twinflow.demo_data import DEMO_PASSWORD, INDIRECT, seed_demo
from twinflow.extensions import db
from twinflow.projects.models import Project

TITLE = next(iter(INDIRECT))


def _fields(page: str, trigger: str) -> dict:
    form = re.search(rf'actions/{trigger}".*?</form>', page, re.S).group(0)
    return dict(re.findall(r'name="([\w-]+)" type="hidden" value="([^"]*)"', form))


def _decide(browser, approval_id: int):
    answer = browser.post(
        f"/approvals/{approval_id}/decide", {"decision": "approve"}, token_from="/approvals"
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


def test_the_delegation_endorses_and_the_cfcu_signs_the_demos_indirect_contract(app):
    with app.app_context():
        seed_demo(db.session, app.extensions["twinflow.engine"], "pbkdf2:sha256:1000")
        db.session.commit()
        project = db.session.scalar(select(Project).where(Project.title == TITLE))
        pid = project.id
        assert (project.state, project.management_mode) == ("contracting", "indirect")
        lead = db.session.scalar(
            select(User).where(
                User.role == "member_state", User.country == project.lead_member_state
            )
        )

    def signed_in(email):
        user = type("Demo", (), {"email": email})()
        return Browser(app).sign_in(user, password=DEMO_PASSWORD)

    cfcu, delegation = signed_in("cfcu@twinflow.demo"), signed_in("delegation.am@twinflow.demo")
    # The CFCU's page says why it cannot sign yet, and offers no form; a forged post fails.
    waiting = cfcu.text(f"/projects/{pid}")
    assert "EU Delegation must endorse this first" in waiting
    assert 'actions/sign_contract"' not in waiting
    page = delegation.text(f"/projects/{pid}")
    forged = _fields(page, "sign_contract") | {"sign_contract-comment": "Signed early"}
    early = cfcu.post(
        f"/projects/{pid}/actions/sign_contract", forged, token_from=f"/projects/{pid}"
    )
    assert early.status_code == 403
    assert "must endorse this first" in early.get_data(as_text=True)

    page = delegation.text(f"/projects/{pid}")
    endorsed = delegation.post(
        f"/projects/{pid}/actions/sign_contract",
        _fields(page, "sign_contract") | {"sign_contract-comment": "Endorsed by the EUD"},
        token_from=f"/projects/{pid}",
    )
    assert endorsed.status_code == 302, endorsed.get_data(as_text=True)[:500]
    inbox = cfcu.text("/approvals")
    assert "Sign the contract" in inbox
    _decide(cfcu, int(re.search(r"/approvals/(\d+)/decide", inbox).group(1)))
    member_state = signed_in(lead.email)
    inbox = member_state.text("/approvals")
    _decide(member_state, int(re.search(r"/approvals/(\d+)/decide", inbox).group(1)))
    with app.app_context():
        assert db.session.get(Project, pid).state == "implementation"
