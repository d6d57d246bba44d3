"""Who may reach what: every route x every role, own workspace and another's.

Rules: outside your workspace everything is 404, with no hint that it exists; inside, a
role too low for the action is 403; nobody signed in is sent to sign in. Within a route
the roles run from least to most allowed, so a change one of them makes never hides
another's refusal.

And every form that changes something needs the CSRF token of the page it came from.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from assessment.definitions.loader import load_directory
from assessment.engine.questionnaire import Role
from assessment.services import accounts, answers, assessments, economics, webhooks
from assessment.services.audit import Actor
from assessment.storage.database import session
from assessment.storage.models import AuditEntry, MemberRole, User, Workspace
from tests.conftest import QUESTIONNAIRES, Member, add_member, add_workspace, csrf_token, sign_in
from tests.web.helpers import DETAILS, checked, create_assessment

EXAMPLE_ESTIMATES = QUESTIONNAIRES.parent / "docs" / "examples" / "estimates.yaml"


ANONYMOUS, OUTSIDER, VIEWER, ANALYST, OWNER = "anonymous", "outsider", "viewer", "analyst", "owner"


ROLES = (ANONYMOUS, OUTSIDER, VIEWER, ANALYST, OWNER)


RANK = {VIEWER: 0, ANALYST: 1, OWNER: 2}


@dataclass(frozen=True)
class World:
    """One workspace with everything in it, and an owner of another workspace."""

    members: dict[str, Member]
    ids: dict[str, str]


def build_world(app: Flask) -> World:
    owner = add_workspace(app, "Acme consultancy", "owner@acme.example", "owner-password-1")
    members = {
        OWNER: owner,
        ANALYST: add_member(app, owner, "analyst@acme.example", "analyst"),
        VIEWER: add_member(app, owner, "viewer@acme.example", "viewer"),
        OUTSIDER: add_workspace(app, "Rival consultancy", "owner@rival.example", "rival-password-1"),
    }
    with app.app_context():
        db = session()
        workspace = db.get(Workspace, owner.workspace_id)
        actor = Actor("user", None, owner.email)
        organisation = assessments.create_organisation(
            db, workspace, assessments.OrganisationDetails("Kaveh Foods", "Food", "b2b")
        )
        assessment = assessments.create_assessment(
            db,
            load_directory(QUESTIONNAIRES),
            organisation,
            assessments.AssessmentDetails("Zoho CRM", "cloud", 40, None, "Maryam"),
        )
        respondent = assessments.invite(db, assessment, "Neda", None, Role.END_USER, actor)
        answers.save_answers(db, assessments.lead_of(assessment), "goals", {"goals_dated": "yes"}, actor)
        entry = db.query(AuditEntry).filter_by(action="answer.changed").one()
        accounts.create_api_token(db, workspace, "CRM sync", MemberRole.VIEWER, actor)
        data = yaml.safe_load(EXAMPLE_ESTIMATES.read_text())
        scenario = economics.save_scenario(db, assessment, economics.BASE_CASE, data, actor)
        economics.delete_scenario(
            db, assessment, economics.create_scenario(db, assessment, "Spare", data, actor), actor
        )
        token = accounts.api_tokens(db, workspace.id)[0]
        for each in (workspace, db.get(Workspace, members[OUTSIDER].workspace_id)):
            accounts.set_logo(db, each, b"\x89PNG a logo", "image/png", actor)
        analyst = db.query(User).filter_by(email="analyst@acme.example").one()
        hook = webhooks.register(db, workspace, "https://crm.example.com/hook", ["decision.recorded"], actor, True)
        ids = {
            "webhook": str(hook.id),
            "assessment": str(assessment.id),
            "organisation": str(organisation.id),
            "respondent": str(respondent.id),
            "link": str(respondent.token),
            "entry": str(entry.id),
            "token": str(token.id),
            "analyst": str(analyst.id),
            "workspace": str(owner.workspace_id),
            "rival_workspace": str(members[OUTSIDER].workspace_id),
            "scenario": str(scenario.id),
            "deleted_scenario": str(economics.deleted_scenarios(db, assessment)[0].id),
        }
    return World(members, ids)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    needs: str
    """The least role allowed."""
    scoped: bool
    """True when the route names something of the workspace (the outsider gets 404); False when
    it acts on the asker's own current workspace (the outsider acts on theirs)."""
    data: tuple[tuple[str, str], ...] = ()


A = "/assessments/{assessment}"


ROUTES = [
    Route("GET", "/", VIEWER, False),
    Route("GET", "/organisations/", VIEWER, False),
    Route("GET", "/organisations/{organisation}", VIEWER, True),
    Route("GET", "/organisations/{organisation}/assessments/new", ANALYST, True),
    Route("GET", "/organisations/{organisation}/prospect", ANALYST, True),
    Route("POST", "/organisations/{organisation}/prospect", ANALYST, True, (("deal_currency", "USD"),)),
    Route("GET", "/pipeline", VIEWER, False),
    Route("GET", "/pipeline.csv", VIEWER, False),
    Route(
        "POST",
        "/organisations/{organisation}/assessments/new",
        ANALYST,
        True,
        (("crm_product", "HubSpot"), ("deployment", "cloud"), ("crm_users", "12"), ("lead_name", "Ali")),
    ),
    Route("GET", "/assessments/new", ANALYST, False),
    Route("GET", "/assessments/export.csv", VIEWER, False),
    Route(
        "POST",
        "/assessments/new",
        ANALYST,
        False,
        (
            ("organisation_name", "New Co"),
            ("industry", "Retail"),
            ("business_type", "b2c"),
            ("crm_product", "Zoho"),
            ("deployment", "cloud"),
            ("crm_users", "5"),
            ("lead_name", "Ali"),
        ),
    ),
    Route("GET", A, VIEWER, True),
    Route("POST", A + "/respondents", ANALYST, True, (("name", "Omid"), ("role", "it"))),
    Route("POST", A + "/respondents/{respondent}/revoke", ANALYST, True),
    Route("POST", A + "/respondents/{respondent}/extend", ANALYST, True),
    Route("POST", A + "/respondents/{respondent}/email", ANALYST, True),
    Route("POST", A + "/respondents/{respondent}/reopen", ANALYST, True),
    Route("POST", A + "/remind", ANALYST, True),
    Route("GET", A + "/scenarios/{scenario}/delete", ANALYST, True),
    Route("POST", A + "/scenarios/{scenario}/delete", ANALYST, True),
    Route("POST", A + "/scenarios/deleted/{deleted_scenario}/restore", ANALYST, True),
    Route("GET", A + "/answers/", VIEWER, True),
    Route("GET", A + "/answers/summary", VIEWER, True),
    Route("GET", A + "/results", VIEWER, True),
    Route("GET", A + "/results.json", VIEWER, True),
    Route("GET", A + "/economics", VIEWER, True),
    Route("GET", A + "/decision.json", VIEWER, True),
    Route("GET", A + "/scenarios", VIEWER, True),
    Route("GET", A + "/estimates", ANALYST, True),
    Route(
        "POST",
        A + "/estimates",
        ANALYST,
        True,
        (
            ("scenario", "Cloud"),
            ("currency", "USD"),
            ("horizon_years", "3"),
            ("c-implementation-likely", "50000"),
            ("b-marketing-saving_per_month-likely", "4000"),
        ),
    ),
    Route(
        "POST",
        A + "/waivers",
        VIEWER,
        True,
        (("knock_out", "no_sponsor"), ("decided_by", "Board"), ("reason", "Interim sponsor")),
    ),
    Route("POST", A + "/waivers/no_sponsor/withdraw", VIEWER, True),
    Route("GET", A + "/report", VIEWER, True),
    Route("GET", A + "/report.pdf", VIEWER, True),
    Route("GET", A + "/paper/sponsor.pdf", VIEWER, True),
    Route("GET", A + "/respondents/{respondent}/paper.pdf", VIEWER, True),
    Route("GET", A + "/report.json", VIEWER, True),
    Route("GET", A + "/report.csv", VIEWER, True),
    Route("GET", A + "/export/answers.xlsx", VIEWER, True),
    Route("GET", A + "/export/estimates.csv", VIEWER, True),
    Route("GET", A + "/export/decisions.csv", VIEWER, True),
    Route("GET", A + "/import/template.csv", ANALYST, True),
    Route("GET", A + "/import", ANALYST, True),
    Route("POST", A + "/import", ANALYST, True),
    Route(
        "POST",
        A + "/decisions",
        VIEWER,
        True,
        (("outcome", "go"), ("decided_by", "Board"), ("decided_on", "2026-11-20")),
    ),
    Route("GET", A + "/answers/goals", ANALYST, True),
    Route("POST", A + "/answers/goals", ANALYST, True, (("_q", "goals_dated"), ("a-goals_dated", "no"))),
    Route(
        "POST", A + "/answers/goals/autosave", ANALYST, True, (("_q", "benefit_owners"), ("a-benefit_owners", "yes"))
    ),
    Route("GET", "/workspace/members", OWNER, False),
    Route("POST", "/workspace/members", OWNER, False, (("email", "new@acme.example"), ("role", "viewer"))),
    Route("POST", "/workspace/members/{analyst}/role", OWNER, True, (("role", "viewer"),)),
    Route("POST", "/workspace/members/{analyst}/remove", OWNER, True),
    Route("GET", "/workspace/audit", OWNER, False),
    Route("POST", "/workspace/audit/{entry}/restore", OWNER, True),
    Route("GET", "/workspace/tokens", OWNER, False),
    Route("POST", "/workspace/tokens", OWNER, False, (("name", "BI export"), ("role", "viewer"))),
    Route("POST", "/workspace/tokens/{token}/revoke", OWNER, True),
    Route("GET", "/workspace/quick-scan", OWNER, False),
    Route("POST", "/workspace/quick-scan", OWNER, False),
    Route("POST", "/workspace/quick-scan/new-link", OWNER, False),
    Route("GET", A + "/convert", ANALYST, True),
    Route("POST", A + "/convert", ANALYST, True, (("crm_product", "Didar CRM"), ("crm_users", "40"))),
    Route("GET", "/workspace/webhooks", OWNER, False),
    Route(
        "POST",
        "/workspace/webhooks",
        OWNER,
        False,
        (("url", "https://crm.example.com/other"), ("events", "decision.recorded")),
    ),
    Route("POST", "/workspace/webhooks/secret", OWNER, False),
    Route("POST", "/workspace/webhooks/{webhook}/test", OWNER, True),
    Route("POST", "/workspace/webhooks/{webhook}/disable", OWNER, True),
    Route("POST", "/workspace/webhooks/{webhook}/enable", OWNER, True),
    Route("POST", "/workspace/webhooks/{webhook}/delete", OWNER, True),
    Route("GET", "/workspace/settings", OWNER, False),
    Route("POST", "/workspace/settings", OWNER, False),
    Route("POST", "/workspace/settings/money", OWNER, False),
    Route("GET", "/workspace/logo", VIEWER, False),
    Route("POST", "/workspace/switch/{workspace}", VIEWER, True),
    Route("GET", "/account", VIEWER, False),
    Route(
        "POST",
        "/account",
        VIEWER,
        False,
        (("current", "not-my-password"), ("password", "a-new-password-1"), ("confirm", "a-new-password-1")),
    ),
    Route("POST", "/logout/everywhere", VIEWER, False),
]


PUBLIC = [
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("GET", "/join/{link}"),
    ("POST", "/join/{link}"),
    ("GET", "/password/forgot"),
    ("POST", "/password/forgot"),
    ("GET", "/password/reset/{link}"),
    ("POST", "/password/reset/{link}"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/scan/{link}"),
    ("POST", "/scan/{link}"),
    ("GET", "/scan/{link}/result/{link}"),
    ("GET", "/r/{link}/"),
    ("GET", "/r/{link}/summary"),
    ("GET", "/r/{link}/goals"),
    ("POST", "/r/{link}/goals"),
    ("POST", "/r/{link}/goals/autosave"),
    ("POST", "/r/{link}/finish"),
    ("GET", "/r/{link}/thanks"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/static/js/survey.js"),
]
"""Routes open to anyone: signing in and out, first-run set-up, one-time links (the link is the key), health
checks and static files. Each decides for itself what to refuse."""


def client_for(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    return client if role == ANONYMOUS else sign_in(client, world.members[role])


def expected(route: Route, role: str) -> str:
    if role == ANONYMOUS:
        return "sign in"
    if role == OUTSIDER:
        return "not found" if route.scoped else "allowed"
    return "allowed" if RANK[role] >= RANK[route.needs] else "forbidden"


def outcome(status: int, location: str) -> str:
    if status == 302 and location.startswith("/login?next="):
        return "sign in"
    return {403: "forbidden", 404: "not found"}.get(status, "allowed" if status < 400 or status == 422 else str(status))


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_every_role_gets_exactly_what_the_route_allows(app: Flask, route: Route) -> None:
    world = build_world(app)
    path = route.path.format(**world.ids)
    for role in ROLES:
        client = client_for(app, world, role)
        if route.method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/login" if role == ANONYMOUS else "/")
            response = client.post(path, data=dict(route.data) | {"csrf_token": token})
        got = outcome(response.status_code, response.headers.get("Location", ""))
        assert got == expected(route, role), f"{role}: {route.method} {path} -> {response.status_code}"


def test_a_page_outside_your_workspace_says_no_more_than_a_page_that_never_existed(app: Flask) -> None:
    world = build_world(app)
    outsider = client_for(app, world, OUTSIDER)
    real = outsider.get(f"/assessments/{world.ids['assessment']}")
    missing = outsider.get(f"/assessments/{uuid.uuid4()}")
    assert real.status_code == missing.status_code == 404
    strip = re.compile(r'name="csrf-token" content="[^"]+"')
    assert strip.sub("", real.get_data(as_text=True)) == strip.sub("", missing.get_data(as_text=True))


API_ROUTES = [
    ("GET", "/api/v1/assessments", VIEWER, False),
    ("GET", "/api/v1/pipeline", VIEWER, False),
    ("GET", "/api/v1/assessments/{assessment}", VIEWER, True),
    ("GET", "/api/v1/assessments/{assessment}/answers", VIEWER, True),
    ("GET", "/api/v1/assessments/{assessment}/results", VIEWER, True),
    ("PATCH", "/api/v1/assessments/{assessment}/answers/goals", ANALYST, True),
]


@pytest.mark.parametrize(("method", "path", "needs", "scoped"), API_ROUTES, ids=[f"{m} {p}" for m, p, *_ in API_ROUTES])
def test_every_api_token_gets_exactly_what_its_role_allows(
    app: Flask, method: str, path: str, needs: str, scoped: bool
) -> None:
    world = build_world(app)
    with app.app_context():
        db = session()
        actor = Actor("user", None, "test")
        own, rival = (
            db.get(Workspace, world.members[OWNER].workspace_id),
            db.get(Workspace, world.members[OUTSIDER].workspace_id),
        )
        tokens = {
            VIEWER: accounts.create_api_token(db, own, "viewer", MemberRole.VIEWER, actor),
            ANALYST: accounts.create_api_token(db, own, "analyst", MemberRole.ANALYST, actor),
            OUTSIDER: accounts.create_api_token(db, rival, "rival", MemberRole.ANALYST, actor),
        }
    client = app.test_client()
    url = path.format(**world.ids)
    for role in (ANONYMOUS, OUTSIDER, VIEWER, ANALYST):
        headers = {} if role == ANONYMOUS else {"Authorization": f"Bearer {tokens[role]}"}
        response = client.open(url, method=method, headers=headers, json={"answers": {"goals_dated": "no"}})
        if role == ANONYMOUS:
            want = 401
        elif role == OUTSIDER:
            want = 404 if scoped else 200
        else:
            want = 200 if RANK[role] >= RANK[needs] else 403
        assert response.status_code == want, f"{role}: {method} {url} -> {response.status_code}"
        assert response.is_json


def test_every_registered_route_is_in_the_matrix_or_open_to_anyone(app: Flask) -> None:
    """A route with no row above would escape every access check here: give it one."""
    urls = app.url_map.bind("localhost")
    any_id = defaultdict(lambda: str(uuid.uuid4()))
    rows = [(r.method, r.path) for r in ROUTES] + [(method, path) for method, path, *_ in API_ROUTES] + PUBLIC
    listed = {(method, urls.match(path.format_map(any_id), method)[0]) for method, path in rows}
    registered = {
        (method, rule.endpoint) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(registered - listed) == []


@pytest.mark.parametrize(("method", "path"), PUBLIC, ids=[f"{m} {p}" for m, p in PUBLIC])
def test_a_route_open_to_anyone_never_sends_them_to_sign_in(app: Flask, method: str, path: str) -> None:
    world = build_world(app)
    client = app.test_client()
    data = {"csrf_token": csrf_token(client, "/login")} if method == "POST" else None
    response = client.open(path.format(**world.ids), method=method, data=data)
    assert response.status_code < 500
    assert outcome(response.status_code, response.headers.get("Location", "")) != "sign in"


def posts(survey: str) -> list[tuple[str, dict[str, str]]]:
    overview = survey.removesuffix("/answers")
    return [
        ("/assessments/new", dict(DETAILS)),
        (f"{overview}/respondents", {"name": "Eve", "role": "it"}),
        (f"{survey}/goals", {"_q": "goals_dated", "a-goals_dated": "yes"}),
        (f"{survey}/goals/autosave", {"_q": "goals_dated", "a-goals_dated": "yes"}),
    ]


@pytest.mark.parametrize("form", range(4), ids=["new-assessment", "invite", "save-area", "autosave"])
def test_every_form_refuses_a_post_without_its_csrf_token_and_changes_nothing(client: FlaskClient, form: int) -> None:
    survey = create_assessment(client)
    url, data = posts(survey)[form]
    for token in (None, "forged"):
        sent = data | ({"csrf_token": token} if token else {})
        response = client.post(url, data=sent, headers={"X-CSRFToken": token} if token else {})
        assert response.status_code == 400
        if url.endswith("/autosave"):
            assert response.get_json()["error"].startswith("Your session expired")
        else:
            assert "did not come from this site" in response.get_data(as_text=True)
    index = client.get("/").get_data(as_text=True)
    assert index.count("Acme Trading") == 1
    assert "Eve" not in client.get(survey.removesuffix("/answers")).get_data(as_text=True)
    assert checked(client.get(f"{survey}/goals").get_data(as_text=True), "goals_dated") == []


def test_a_valid_token_from_the_page_is_accepted(client: FlaskClient) -> None:
    survey = create_assessment(client)
    response = client.post(
        f"{survey}/goals",
        data={"_q": "goals_dated", "a-goals_dated": "yes", "csrf_token": csrf_token(client, f"{survey}/goals")},
    )
    assert response.status_code == 302


POST_ROUTES = [route for route in ROUTES if route.method == "POST"]


@pytest.mark.parametrize("route", POST_ROUTES, ids=[route.path for route in POST_ROUTES])
def test_every_member_form_refuses_a_post_without_its_token(app, route) -> None:
    world = build_world(app)
    owner = sign_in(app.test_client(), world.members["owner"])
    before = owner.get("/workspace/audit").get_data(as_text=True).count("<tr>")
    response = owner.post(route.path.format(**world.ids), data=dict(route.data))
    assert response.status_code == 400
    assert owner.get("/workspace/audit").get_data(as_text=True).count("<tr>") == before


@pytest.mark.parametrize("path", ["/login", "/password/forgot", "/logout"])
def test_every_account_form_refuses_a_post_without_its_token(client: FlaskClient, path: str) -> None:
    assert client.post(path, data={"email": "owner@example.com", "password": "x"}).status_code == 400
