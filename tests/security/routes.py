"""The declared answer of every route of both adapters to every party of the multi-bid world.

GET: for each rule of `app.url_map`, what each party gets, as a status class: "ok" (2xx),
"login" (a redirect to sign in), "redirect" (elsewhere: a signed-in user asking for the
sign-in page, a refused upload sent back to its page with the reason), or the refusal (401,
403, 404). A route whose parameters name several objects (a document) has one row per
object of the world; a row may differ between the phases ("open": the call is open; "closed":
the call closed, Germany's bid marked, select_partner pending).

Writes (POST, PUT, PATCH, DELETE): the parties a route is for, and what every other party gets
when it tries (with a valid CSRF token and a valid body, so only the permission can refuse).

A route missing here fails tests/security/test_route_map.py: a new route must say who may use
it before it can be merged.
"""

from tests.security.scenario import PARTIES

SIGNED_IN = tuple(p for p in PARTIES if p not in ("anonymous", "inactive"))
BIDDERS = ("marked", "rival_fr", "rival_it")
# Who may create projects (each for its own administration or the countries it covers).
CREATORS = ("coordinator", "beneficiary", "other_institution", "other_delegation")

# The generic record routes (any record type with a workflow file and a model).
ANY_RECORDS = "/api/v1/projects/<ID:project_id>/records/<record_type>"


def web(default, **parties) -> dict:
    """A page: signed-out and deactivated visitors are sent to sign in."""
    return {p: default for p in SIGNED_IN} | {"anonymous": "login", "inactive": "login"} | parties


def api(default, **parties) -> dict:
    """An API resource: no valid token (or a deactivated user's) is a 401."""
    return {p: default for p in SIGNED_IN} | {"anonymous": 401, "inactive": 401} | parties


def everyone(status) -> dict:
    return {p: status for p in PARTIES}


def only(parties, default, allowed="ok", **others) -> dict:
    """`default` for every party, `allowed` for `parties`."""
    return default | {p: allowed for p in parties} | others


# Neither another administration nor a coordinator of a Delegation not covering the country
# learns that the project exists.
HIDDEN = {"other_institution": 404, "other_delegation": 404}
PROJECT_PAGE = web("ok", **HIDDEN)
# Implementation records: the project's parties; a marked bid is not a partner yet.
RECORDS_PAGE = web("ok", marked=403, rival_fr=403, rival_it=403, **HIDDEN)
RECORDS_API = api("ok", marked=403, rival_fr=403, rival_it=403, **HIDDEN)
PROJECT_API = api("ok", **HIDDEN)


def _documents(page) -> dict:
    """A download as each party, for each document of the world."""
    hidden = page(404)
    closed_bid = only(("admin", "coordinator", "beneficiary"), hidden)
    out = {"fiche": page("ok", **HIDDEN)}
    for party, country in (("marked", "DE"), ("rival_fr", "FR"), ("rival_it", "IT")):
        # Sealed until the call closes, even to administrators; never to a rival.
        out[f"bid_{country}"] = {
            "open": only((party,), hidden),
            "closed": only((party,), closed_bid),
        }
    # The selection minutes (every bid's score): for those who choose. They exist; that much a
    # Member State may know (403), not what they say.
    out["minutes"] = {"closed": page(403, admin="ok", coordinator="ok", beneficiary="ok", **HIDDEN)}
    return out


CHOOSERS = dict(admin="ok", coordinator="ok", beneficiary="ok")
SELECTION_PAGE = {"open": web(404), "closed": web(404, **CHOOSERS)}
SELECTION_API = {"open": api(404), "closed": api(404, **CHOOSERS)}
WEB_DOWNLOAD = _documents(web)
API_DOWNLOAD = _documents(api)

GET_ROUTES = {
    # -- web ---------------------------------------------------------------------------------
    "/": web("ok"),
    "/login": web("redirect", anonymous="ok", inactive="ok"),
    "/admin/audit": web(403, admin="ok"),
    "/admin/audit/export.csv": web(403, admin="ok"),
    "/admin/users": web(403, admin="ok"),
    "/admin/users/new": web(403, admin="ok"),
    "/admin/users/<int:user_id>": web(403, admin="ok"),
    "/admin/users/<int:user_id>/deactivate": web(403, admin="ok"),
    "/admin/users/lockouts": web(403, admin="ok"),
    "/admin/organisations": web(403, admin="ok"),
    "/admin/organisations/new": web(403, admin="ok"),
    "/admin/imports": web(403, admin="ok"),
    "/admin/outbox": web(403, admin="ok"),
    # The walk asks for an e-mail no row holds: the administrator gets 404, everyone else 403.
    "/admin/outbox/<int:email_id>": web(403, admin=404),
    # Reference data (codes and labels, no project's secret): every coordinator reads it.
    "/admin/reference": web(403, admin="ok", coordinator="ok", other_delegation="ok"),
    # Everyone signed in changes their own password; nobody else's.
    "/account/password": web("ok"),
    "/account/time-zone": web("ok"),
    "/approvals": web("ok", admin=403),
    "/assets/<path:filename>": everyone("ok"),
    "/static/<path:filename>": everyone(404),  # the app has no static folder of its own
    # Each party's own secret feed URL; a deactivated user's stops working.
    "/calendar/<token>.ics": everyone("ok") | {"anonymous": 404, "inactive": 404},
    "/calls": web(403, marked="ok", rival_fr="ok", rival_it="ok"),
    "/calls/<int:project_id>/proposal": web(403, marked="ok", rival_fr="ok", rival_it="ok"),
    "/notifications": web("ok"),
    "/projects": web("ok"),
    # The list's filtered rows as a file: the same visibility as the list.
    "/projects/export.csv": web("ok"),
    "/projects/export.xlsx": web("ok"),
    "/projects/new": web(403, **dict.fromkeys(CREATORS, "ok")),
    "/projects/<int:project_id>": PROJECT_PAGE,
    "/projects/<int:project_id>/deadlines.ics": PROJECT_PAGE,
    "/projects/<int:project_id>/documents": PROJECT_PAGE,
    # The fiche: the circulated (approved) revision 1 is what every bidder reads.
    "/projects/<int:project_id>/fiche": PROJECT_PAGE,
    "/projects/<int:project_id>/fiche/diff": web(404, other_institution=404),
    "/projects/<int:project_id>/fiche/revisions/<int:number>": PROJECT_PAGE,
    "/projects/<int:project_id>/fiche/revisions/<int:number>.pdf": PROJECT_PAGE,
    "/projects/<int:project_id>/documents/<int:document_id>/download": WEB_DOWNLOAD,
    # The selection record: those who choose, once the call has closed; a Member State reads
    # its own result only once the partner is chosen (select_partner is pending here).
    "/projects/<int:project_id>/selection": SELECTION_PAGE,
    "/projects/<int:project_id>/activities": RECORDS_PAGE,
    "/projects/<int:project_id>/changes": RECORDS_PAGE,
    "/projects/<int:project_id>/progress": RECORDS_PAGE,
    "/projects/<int:project_id>/reports": RECORDS_PAGE,
    "/projects/<int:project_id>/steering": RECORDS_PAGE,
    "/projects/<int:project_id>/team": RECORDS_PAGE,
    # The portfolio: coordinators (their countries' figures) and administrators.
    "/portfolio": web(403, admin="ok", coordinator="ok", other_delegation="ok"),
    "/portfolio/<figure>.csv": web(403, admin="ok", coordinator="ok", other_delegation="ok"),
    # The gallery: the project's users see it; the world has no image (an unknown one: 404).
    "/projects/<int:project_id>/gallery": RECORDS_PAGE,
    "/projects/<int:project_id>/gallery/<int:image_id>/<variant>": web(
        404, marked=403, rival_fr=403, rival_it=403
    ),
    "/public/projects/<int:project_id>/images/<int:image_id>/<variant>": everyone(404),
    "/public/projects": everyone("ok"),
    # The language of the pages: a cookie, then back to the page (anyone, nothing stored).
    "/language/<language>": everyone("redirect"),
    # Operations: no session, no project data. /metrics answers the loopback address the test
    # client comes from (TWINFLOW_METRICS_NETWORKS); tests/ops covers the refusals.
    "/healthz": everyone("ok"),
    "/readyz": everyone("ok"),
    "/metrics": everyone("ok"),
    # Not public while the partner is being chosen: no public page for anybody.
    "/public/projects/<int:project_id>": everyone(404),
    # -- API ---------------------------------------------------------------------------------
    "/api/v1/docs": everyone("ok"),
    "/api/v1/reports/portfolio": api(403, admin="ok", coordinator="ok", other_delegation="ok"),
    "/api/v1/docs/static/<path:filename>": everyone("ok"),
    "/api/v1/openapi.json": everyone("ok"),
    "/api/v1/approvals": api("ok"),
    "/api/v1/audit": api(403, admin="ok"),
    "/api/v1/audit/verify": api(403, admin="ok"),
    "/api/v1/organisations": api(403, admin="ok"),
    "/api/v1/users": api(403, admin="ok"),
    "/api/v1/users/<ID:user_id>": api(403, admin="ok"),
    "/api/v1/workflows": api("ok"),
    # Everyone's own notifications: nobody reads another's (the rule's own tests: tests/api).
    "/api/v1/notifications": api("ok"),
    "/api/v1/workflows/<string(maxlength=60):name>": api("ok"),
    "/api/v1/projects": api("ok"),
    "/api/v1/projects/export": api("ok"),
    "/api/v1/projects/<ID:project_id>": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/audit": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/deadlines": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/documents": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/fiche": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/fiche/revisions": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/fiche/revisions/<ID:number>": PROJECT_API,
    "/api/v1/projects/<ID:project_id>/documents/<ID:document_id>": API_DOWNLOAD,
    "/api/v1/projects/<ID:project_id>/proposals": PROJECT_API,
    # The forwarding of a call is its Member State's (none in this world has an NCP): no party
    # learns of another's.
    "/api/v1/projects/<ID:project_id>/call/forwarding": api(404),
    "/api/v1/projects/<ID:project_id>/selection": SELECTION_API,
    "/api/v1/projects/<ID:project_id>/activities": RECORDS_API,
    "/api/v1/projects/<ID:project_id>/changes": RECORDS_API,
    "/api/v1/projects/<ID:project_id>/components": RECORDS_API,
    "/api/v1/projects/<ID:project_id>/progress": RECORDS_API,
    "/api/v1/projects/<ID:project_id>/reports": RECORDS_API,
    f"{ANY_RECORDS}": RECORDS_API,
    f"{ANY_RECORDS}/<ID:record_id>": api(404),
    "/api/v1/projects/<ID:project_id>/steering-meetings": RECORDS_API,
    "/api/v1/projects/<ID:project_id>/team": RECORDS_API,
}

# -- writes ------------------------------------------------------------------------------------
# {(rule, method): (the parties it is for, what each party gets)}. The parties it is for are
# not sent anything here (their requests would change the world; their side is tested with
# each feature), so their entries in the row are not asked.
MANAGERS = ("coordinator", "beneficiary")  # the project's leaders until a partner is chosen


SIGNED_OUT_PAGE = {"anonymous": "login", "inactive": "login"}
SIGNED_OUT_API = {"anonymous": 401, "inactive": 401}


def refused_page(status=403, **parties) -> dict:
    return web(status, **HIDDEN | parties)


def refused_api(status=403, **parties) -> dict:
    return api(status, **HIDDEN | parties)


WRITE_ROUTES = {
    # -- web ---------------------------------------------------------------------------------
    ("/login", "POST"): (PARTIES, {}),  # anyone may try; the deactivated are refused: below
    ("/logout", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/admin/audit/verify", "POST"): (("admin",), web(403)),
    ("/admin/users/new", "POST"): (("admin",), web(403)),
    ("/admin/users/<int:user_id>/active", "POST"): (("admin",), web(403)),
    ("/admin/users/<int:user_id>/details", "POST"): (("admin",), web(403)),
    ("/admin/users/<int:user_id>/password", "POST"): (("admin",), web(403)),
    ("/admin/users/<int:user_id>/role", "POST"): (("admin",), web(403)),
    ("/admin/users/lockouts", "POST"): (("admin",), web(403)),
    ("/admin/users/<int:user_id>/organisation", "POST"): (("admin",), web(403)),
    ("/admin/organisations/new", "POST"): (("admin",), web(403)),
    ("/admin/imports", "POST"): (("admin",), web(403)),
    ("/admin/imports/apply", "POST"): (("admin",), web(403)),
    ("/account/password", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/account/time-zone", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/language", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    # The choice of the partner is not for Member States to know of: 404, like no request.
    ("/approvals/<int:approval_id>/decide", "POST"): (
        MANAGERS,
        web(404, admin=403),
    ),
    ("/calendar/subscription", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/calendar/subscription/revoke", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/calls/<int:project_id>/proposal", "POST"): (BIDDERS, web(403)),
    # Only a National Contact Point forwards a call (tests/calls); this world has none.
    ("/projects/<int:project_id>/call/forward", "POST"): ((), refused_page()),
    # Only one's own notifications are touched (tests/notifications): no party is refused.
    ("/notifications/<int:notification_id>/read", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/notifications/read-all", "POST"): (SIGNED_IN, SIGNED_OUT_PAGE),
    ("/projects/new", "POST"): (CREATORS, web(403)),
    ("/projects/<int:project_id>/actions/<trigger>", "POST"): (
        ("coordinator",),
        refused_page(),
    ),
    ("/projects/<int:project_id>/proposals/<int:proposal_id>/select", "POST"): (
        MANAGERS,
        refused_page(),
    ),
    # A refused upload goes back to the page it came from, the reason said there.
    ("/projects/<int:project_id>/documents", "POST"): (
        MANAGERS + BIDDERS,
        refused_page("redirect"),
    ),
    ("/projects/<int:project_id>/gallery", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/gallery/<int:image_id>/public", "POST"): (
        ("coordinator",),
        refused_page(),
    ),
    ("/projects/<int:project_id>/gallery/filing", "POST"): (
        ("coordinator", "admin"),
        refused_page(),
    ),
    # The fiche is read-only once the call is open: its editors are refused with 409 then.
    ("/projects/<int:project_id>/fiche", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/fiche/particulars", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/fiche/return", "POST"): (("coordinator",), refused_page()),
    ("/projects/<int:project_id>/selection/eligibility/<int:proposal_id>", "POST"): (
        ("coordinator",),
        refused_page(),
    ),
    ("/projects/<int:project_id>/selection/meeting", "POST"): (("coordinator",), refused_page()),
    ("/projects/<int:project_id>/activities", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/activities/<int:activity_id>", "POST"): (
        MANAGERS,
        refused_page(404),
    ),
    ("/projects/<int:project_id>/changes", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/changes/<int:change_id>/steps/<trigger>", "POST"): (
        MANAGERS,
        refused_page(404),
    ),
    ("/projects/<int:project_id>/components", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/components/<int:component_id>/results", "POST"): (
        MANAGERS,
        refused_page(404),
    ),
    ("/projects/<int:project_id>/indicators/<int:indicator_id>", "POST"): (
        MANAGERS,
        refused_page(404),
    ),
    ("/projects/<int:project_id>/results/<int:result_id>/indicators", "POST"): (
        MANAGERS,
        refused_page(404),
    ),
    ("/projects/<int:project_id>/reports", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/reports/<int:report_id>/steps/<trigger>", "POST"): (
        MANAGERS,
        refused_page(404),
    ),
    ("/projects/<int:project_id>/steering", "POST"): (MANAGERS, refused_page()),
    ("/projects/<int:project_id>/team", "POST"): (MANAGERS, refused_page()),
    # A coordinator waives or moves a deadline; the probe names no deadline of the project.
    ("/projects/<int:project_id>/deadlines/<int:deadline_id>/waive", "POST"): (
        ("coordinator",),
        refused_page(404),
    ),
    ("/projects/<int:project_id>/deadlines/<int:deadline_id>/move", "POST"): (
        ("coordinator",),
        refused_page(404),
    ),
    # -- API ---------------------------------------------------------------------------------
    ("/api/v1/auth/token", "POST"): (PARTIES, {}),
    ("/api/v1/auth/token", "DELETE"): (SIGNED_IN, SIGNED_OUT_API),
    ("/api/v1/notifications/read", "POST"): (SIGNED_IN, SIGNED_OUT_API),
    # While the call is open there is no request to decide: 404 for everyone.
    ("/api/v1/approvals/<ID:approval_id>", "POST"): (
        MANAGERS,
        {"open": api(404), "closed": api(404, admin=403)},
    ),
    ("/api/v1/projects", "POST"): (CREATORS, api(403)),
    ("/api/v1/organisations", "POST"): (("admin",), api(403)),
    ("/api/v1/users", "POST"): (("admin",), api(403)),
    ("/api/v1/users/<ID:user_id>", "PATCH"): (("admin",), api(403)),
    # Corrections are for imported records: the world's live project is refused to everyone.
    ("/api/v1/projects/<ID:project_id>/corrections", "POST"): (
        ("admin", "coordinator"),
        refused_api(),
    ),
    ("/api/v1/workflows/<string(maxlength=60):name>/migrations", "POST"): (("admin",), api(403)),
    ("/api/v1/imports", "POST"): (("admin",), api(403)),
    ("/api/v1/projects/<ID:project_id>/transitions", "POST"): (("coordinator",), refused_api()),
    ("/api/v1/projects/<ID:project_id>", "PATCH"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/fiche", "PUT"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/proposals", "POST"): (BIDDERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/call/forwarding", "POST"): ((), refused_api()),
    ("/api/v1/projects/<ID:project_id>/proposals/<ID:proposal_id>", "PATCH"): (
        BIDDERS,
        refused_api(),
    ),
    ("/api/v1/projects/<ID:project_id>/proposals/<ID:proposal_id>/select", "POST"): (
        MANAGERS,
        refused_api(),
    ),
    ("/api/v1/projects/<ID:project_id>/documents", "POST"): (
        MANAGERS + BIDDERS,
        refused_api(),
    ),
    ("/api/v1/projects/<ID:project_id>/selection/eligibility/<ID:proposal_id>", "PUT"): (
        ("coordinator",),
        refused_api(),
    ),
    ("/api/v1/projects/<ID:project_id>/selection/meeting", "PUT"): (
        ("coordinator",),
        refused_api(),
    ),
    ("/api/v1/projects/<ID:project_id>/activities", "POST"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/activities/<ID:activity_id>", "PATCH"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/changes", "POST"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/changes/<ID:change_id>", "PATCH"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/changes/<ID:change_id>/transitions", "POST"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/components", "POST"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/components/<ID:component_id>/results", "POST"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/indicators/<ID:indicator_id>", "PATCH"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/results/<ID:result_id>/indicators", "POST"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/reports", "POST"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/reports/<ID:report_id>", "PATCH"): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/reports/<ID:report_id>/transitions", "POST"): (
        MANAGERS,
        refused_api(404),
    ),
    (f"{ANY_RECORDS}", "POST"): (
        MANAGERS,
        refused_api(),
    ),
    (
        f"{ANY_RECORDS}/<ID:record_id>",
        "PATCH",
    ): (
        MANAGERS,
        refused_api(404),
    ),
    (
        f"{ANY_RECORDS}/<ID:record_id>/transitions",
        "POST",
    ): (
        MANAGERS,
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/steering-meetings", "POST"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/team", "POST"): (MANAGERS, refused_api()),
    ("/api/v1/projects/<ID:project_id>/deadlines/<ID:deadline_id>/waiver", "POST"): (
        ("coordinator",),
        refused_api(404),
    ),
    ("/api/v1/projects/<ID:project_id>/deadlines/<ID:deadline_id>/move", "POST"): (
        ("coordinator",),
        refused_api(404),
    ),
}
