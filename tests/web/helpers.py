"""Driving the app over HTTP as a browser without JavaScript would."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from tests.conftest import csrf_token

DETAILS = {
    "organisation_name": "Acme Trading",
    "industry": "Wholesale",
    "business_type": "b2b",
    "crm_product": "Zoho CRM",
    "deployment": "cloud",
    "crm_users": "40",
    "go_live": "2027-03-01",
    "lead_name": "Maryam",
}


def create_assessment(client: FlaskClient, **changes: str) -> str:
    """Create an assessment through the form; return its survey URL prefix."""
    response = client.post(
        "/assessments/new", data={**DETAILS, **changes, "csrf_token": csrf_token(client, "/assessments/new")}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"] + "/answers"


def form_data(answers: Mapping[str, Any], shown: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """A page's post: `_q` per question and `a-<id>` per value (lists become ticked boxes)."""
    data: list[tuple[str, str]] = []
    for question, value in answers.items():
        data.append(("_q", question))
        values: Sequence[Any] = value if isinstance(value, (list, tuple)) else [] if value is None else [value]
        data.extend((f"a-{question}", str(v)) for v in values)
    for question, was in (shown or {}).items():
        data.append((f"_was-{question}", was))
    return data


def answer(
    client: FlaskClient, area_url: str, answers: Mapping[str, Any], go: str = "save", **extra: Any
) -> TestResponse:
    data = form_data(answers, extra.pop("shown", None)) + [("go", go), ("csrf_token", csrf_token(client, area_url))]
    return client.post(area_url, data=MultiDict(data), **extra)


def checked(page: str, question: str) -> list[str]:
    """The option ids ticked for `question` on a rendered page."""
    return re.findall(rf'name="a-{question}" value="([^"]+)" checked', page)


def field_value(page: str, question: str) -> str | None:
    match = re.search(rf'id="a-{question}" name="a-{question}" value="([^"]*)"', page)
    if match:
        return match.group(1)
    match = re.search(rf'id="a-{question}" name="a-{question}"[^>]*>([^<]*)</textarea>', page)
    return match.group(1) if match else None


def is_hidden(page: str, question: str) -> bool:
    match = re.search(rf'<div class="question[^"]*" id="q-{question}"[^>]*>', page, re.S)
    assert match, f"question {question} is not on the page"
    return " hidden>" in match.group(0) or match.group(0).endswith("hidden>")


def post(client: FlaskClient, url: str, data: dict[str, str], page: str | None = None):
    """Post a form with the CSRF token of `page` (the form's own URL unless told)."""
    return client.post(url, data=data | {"csrf_token": csrf_token(client, page or url)})


def invite(client: FlaskClient, survey: str, name: str, role: str, email: str = "") -> str:
    """Invite through the overview's form; return the respondent's private link path."""
    overview = survey.removesuffix("/answers")
    response = client.post(
        f"{overview}/respondents",
        data={"name": name, "email": email, "role": role, "csrf_token": csrf_token(client, overview)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(overview).get_data(as_text=True)
    links = re.findall(r'href="http://localhost(/r/[^"]+)/"', page)
    row = page[page.index(f">{name}<") :]
    return next(link for link in links if link in row)


ESTIMATES_FORM = {
    "scenario": "Base case",
    "currency": "USD",
    "horizon_years": "3",
    "discount_rate": "10",
    "c-implementation-low": "60000",
    "c-implementation-likely": "90000",
    "c-implementation-high": "150000",
    "c-subscription-likely": "65",
    "b-marketing-saving_per_month-low": "3000",
    "b-marketing-saving_per_month-likely": "5000",
    "b-marketing-saving_per_month-high": "8000",
}
"""The estimates form filled in as a project manager would: a base case in dollars."""


def decide(client: FlaskClient, assessment: str) -> None:
    """Record the committee's decision through the report's form."""
    response = client.post(
        f"{assessment}/decisions",
        data={
            "outcome": "conditional_go",
            "decided_by": "Steering committee",
            "decided_on": "2026-11-20",
            "conditions": "Name a sponsor before kick-off",
            "csrf_token": csrf_token(client, f"{assessment}/report"),
        },
    )
    assert response.status_code == 302
