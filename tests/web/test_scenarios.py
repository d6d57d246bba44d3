"""Scenarios as a reader manages them: created empty or as a copy, renamed in place, deleted after
a confirmation (never the one a recorded decision was taken on) and restored."""

from __future__ import annotations

import re
import uuid

from flask import Flask
from flask.testing import FlaskClient

from assessment.services.assessments import find_assessment
from assessment.services.economics import scenarios
from assessment.storage.database import session
from tests.conftest import Member, add_member, csrf_token, sign_in
from tests.web.helpers import create_assessment

FORM = {
    "scenario": "Cloud",
    "currency": "USD",
    "horizon_years": "3",
    "c-subscription-likely": "50",
    "c-implementation-likely": "60000",
    "b-marketing-saving_per_month-likely": "4000",
}


def new_assessment(client: FlaskClient) -> str:
    """An assessment with the scenario "Cloud", saved from the form's first page."""
    assessment = create_assessment(client).removesuffix("/answers")
    assert save(client, assessment, FORM, "").status_code == 302
    return assessment


def save(client: FlaskClient, assessment: str, form: dict[str, str], scenario_id: str, query: str = ""):
    """Post the estimates form as its page carries it: with the id of the scenario it edits (blank for a new one)."""
    url = f"{assessment}/estimates{query}"
    return client.post(url, data=form | {"scenario_id": scenario_id, "csrf_token": csrf_token(client, url)})


def shown(client: FlaskClient, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def hidden_id(page: str) -> str:
    found = re.search(r'name="scenario_id" type="hidden" value="([^"]*)"', page)
    assert found, "the form carries no scenario id"
    return found.group(1)


def stored(app: Flask, assessment: str) -> list[tuple[str, str, object]]:
    """The assessment's scenarios in their order: id, name and the implementation figure."""
    with app.app_context():
        found = scenarios(session(), find_assessment(session(), uuid.UUID(assessment.split("/")[-1])))
        return [
            (str(s.id), s.name, next((c["amount"] for c in s.data["costs"] if c["id"] == "implementation"), None))
            for s in found
        ]


def post(client: FlaskClient, url: str, page: str):
    return client.post(url, data={"csrf_token": csrf_token(client, page)})


def delete(client: FlaskClient, assessment: str, scenario_id: str):
    return post(client, f"{assessment}/scenarios/{scenario_id}/delete", f"{assessment}/scenarios")


def restore_buttons(page: str) -> list[str]:
    return re.findall(r'action="([^"]+/scenarios/deleted/[^"]+/restore)"', page)


def test_a_new_empty_scenario_is_started_from_the_comparison_and_saved_beside_the_others(
    app: Flask, client: FlaskClient
) -> None:
    assessment = new_assessment(client)
    compare = shown(client, f"{assessment}/scenarios")
    assert f'href="{assessment}/estimates?new=1"' in compare
    page = shown(client, f"{assessment}/estimates?new=1")
    assert hidden_id(page) == "" and 'name="scenario" required type="text" value=""' in page
    assert 'value="60000"' not in page and 'value="60,000"' not in page
    assert save(client, assessment, FORM | {"scenario": "On-premise"}, "", "?new=1").status_code == 302
    assert [(name, figure) for _id, name, figure in stored(app, assessment)] == [
        ("Cloud", 60000),
        ("On-premise", 60000),
    ]


def test_a_copy_starts_from_its_sources_figures_and_leaves_the_source_alone(app: Flask, client: FlaskClient) -> None:
    assessment = new_assessment(client)
    assert f'href="{assessment}/estimates?copy=Cloud"' in shown(client, f"{assessment}/scenarios")
    page = shown(client, f"{assessment}/estimates?copy=Cloud")
    assert hidden_id(page) == "" and 'value="Cloud (copy)"' in page and 'value="60,000"' in page
    saved = save(client, assessment, FORM | {"scenario": "Cloud (copy)", "c-implementation-likely": "90000"}, "")
    assert saved.status_code == 302
    assert [(name, figure) for _id, name, figure in stored(app, assessment)] == [
        ("Cloud", 60000),
        ("Cloud (copy)", 90000),
    ]
    assert client.get(f"{assessment}/estimates?copy=Nowhere").status_code == 404


def test_a_new_scenario_never_replaces_one_of_the_same_name(app: Flask, client: FlaskClient) -> None:
    assessment = new_assessment(client)
    response = save(client, assessment, FORM | {"c-implementation-likely": "1"}, "", "?new=1")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<li><a href="#scenario">Scenario name</a>: Another scenario of this assessment', page)
    assert [(name, figure) for _id, name, figure in stored(app, assessment)] == [("Cloud", 60000)]


def test_the_name_field_renames_the_scenario_it_edits_which_keeps_its_id(app: Flask, client: FlaskClient) -> None:
    assessment = new_assessment(client)
    [(scenario_id, _name, _figure)] = stored(app, assessment)
    page = shown(client, f"{assessment}/estimates?scenario=Cloud")
    assert hidden_id(page) == scenario_id
    renamed = save(
        client, assessment, FORM | {"scenario": "Cloud, 40 users", "c-implementation-likely": "65000"}, scenario_id
    )
    assert renamed.status_code == 302 and "scenario=Cloud,+40+users" in renamed.headers["Location"]
    assert stored(app, assessment) == [(scenario_id, "Cloud, 40 users", 65000)]
    trail = shown(client, "/workspace/audit")
    assert "scenario.renamed" in trail and "Cloud, 40 users: Implementation and customisation" in trail


def test_a_rename_to_a_name_another_scenario_has_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    assessment = new_assessment(client)
    save(client, assessment, FORM | {"scenario": "On-premise"}, "")
    before = stored(app, assessment)
    cloud = before[0][0]
    response = save(client, assessment, FORM | {"scenario": "On-premise", "c-implementation-likely": "1"}, cloud)
    assert response.status_code == 422 and "Another scenario of this assessment already has this name" in (
        response.get_data(as_text=True)
    )
    assert stored(app, assessment) == before


def test_a_scenario_is_deleted_after_a_confirmation_kept_in_the_audit_trail_and_restored_as_it_was(
    app: Flask, client: FlaskClient
) -> None:
    assessment = new_assessment(client)
    save(client, assessment, FORM | {"scenario": "On-premise", "c-implementation-likely": "80000"}, "")
    before = stored(app, assessment)
    cloud = before[0][0]
    compare = shown(client, f"{assessment}/scenarios")
    assert f'href="{assessment}/scenarios/{cloud}/delete"' in compare
    confirm = shown(client, f"{assessment}/scenarios/{cloud}/delete")
    assert "Delete the scenario Cloud?" in confirm
    assert re.search(rf'<form method="post" action="{assessment}/scenarios/{cloud}/delete"', confirm)
    assert [name for _id, name, _figure in stored(app, assessment)] == ["Cloud", "On-premise"]  # asking changes nothing

    deleted = delete(client, assessment, cloud)
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith(f"{assessment}/scenarios")
    assert [name for _id, name, _figure in stored(app, assessment)] == ["On-premise"]
    compare = shown(client, deleted.headers["Location"])
    assert "The scenario Cloud is deleted" in compare
    assert "scenario.deleted" in shown(client, "/workspace/audit")
    [button] = restore_buttons(compare)

    restored = post(client, button, f"{assessment}/scenarios")
    assert restored.status_code == 302 and "scenario=Cloud" in restored.headers["Location"]
    assert stored(app, assessment) == before  # the same id, figures and place first
    assert restore_buttons(shown(client, f"{assessment}/scenarios")) == []
    assert post(client, button, f"{assessment}/scenarios").status_code == 302  # restoring twice is harmless
    assert stored(app, assessment) == before


def test_the_last_scenario_may_be_deleted_and_the_empty_economics_page_offers_it_back(
    app: Flask, client: FlaskClient
) -> None:
    assessment = new_assessment(client)
    [(cloud, _name, _figure)] = stored(app, assessment)
    assert delete(client, assessment, cloud).status_code == 302
    assert stored(app, assessment) == []
    empty = shown(client, f"{assessment}/economics")
    assert "No cost and benefit estimates yet" in empty and "1 deleted scenario can be restored." in empty
    [button] = restore_buttons(shown(client, f"{assessment}/scenarios"))
    post(client, button, f"{assessment}/scenarios")
    assert [s[0] for s in stored(app, assessment)] == [cloud]


def test_a_restore_waits_while_another_scenario_has_the_name(app: Flask, client: FlaskClient) -> None:
    assessment = new_assessment(client)
    [(cloud, _name, _figure)] = stored(app, assessment)
    delete(client, assessment, cloud)
    save(client, assessment, FORM | {"c-implementation-likely": "70000"}, "")
    [button] = restore_buttons(shown(client, f"{assessment}/scenarios"))
    refused = post(client, button, f"{assessment}/scenarios")
    assert "Another scenario now has this name" in shown(client, refused.headers["Location"])
    assert [(name, figure) for _id, name, figure in stored(app, assessment)] == [("Cloud", 70000)]


def test_the_scenario_a_recorded_decision_was_taken_on_cannot_be_deleted_even_once_renamed(
    app: Flask, client: FlaskClient
) -> None:
    assessment = new_assessment(client)
    save(client, assessment, FORM | {"scenario": "On-premise"}, "")
    [(cloud, _c, _f), (premise, _p, _g)] = stored(app, assessment)
    decision = {"outcome": "go", "conditions": "Pilot first", "decided_by": "Board", "decided_on": "2026-11-20"}
    token = csrf_token(client, f"{assessment}/report")
    assert client.post(f"{assessment}/decisions", data=decision | {"csrf_token": token}).status_code == 302
    save(client, assessment, FORM | {"scenario": "Cloud, as decided"}, cloud)

    confirm = shown(client, f"{assessment}/scenarios/{cloud}/delete")
    assert "A recorded decision was taken on this scenario" in confirm
    assert f'action="{assessment}/scenarios/{cloud}/delete"' not in confirm
    refused = delete(client, assessment, cloud)
    assert "it cannot be deleted" in shown(client, refused.headers["Location"])
    assert [name for _id, name, _figure in stored(app, assessment)] == ["Cloud, as decided", "On-premise"]
    assert delete(client, assessment, premise).status_code == 302
    assert [name for _id, name, _figure in stored(app, assessment)] == ["Cloud, as decided"]


def test_a_page_whose_scenario_was_deleted_meanwhile_keeps_its_figures_as_a_new_scenario(
    app: Flask, client: FlaskClient
) -> None:
    assessment = new_assessment(client)
    [(cloud, _name, _figure)] = stored(app, assessment)
    delete(client, assessment, cloud)
    response = save(client, assessment, FORM | {"c-implementation-likely": "75000"}, cloud)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "This scenario was deleted meanwhile" in page and hidden_id(page) == ""
    assert save(client, assessment, FORM | {"c-implementation-likely": "75000"}, "").status_code == 302
    [(new_id, name, figure)] = stored(app, assessment)
    assert (name, figure) == ("Cloud", 75000) and new_id != cloud


def test_a_steering_viewer_sees_the_comparison_but_may_not_create_delete_or_restore(
    app: Flask, client: FlaskClient, owner: Member
) -> None:
    assessment = new_assessment(client)
    [(cloud, _name, _figure)] = stored(app, assessment)
    save(client, assessment, FORM | {"scenario": "Spare"}, "")
    spare = stored(app, assessment)[1][0]
    delete(client, assessment, spare)
    viewer = sign_in(app.test_client(), add_member(app, owner, "board@acme.example", "viewer"))
    compare = shown(viewer, f"{assessment}/scenarios")
    assert "Cloud" in compare and "?new=1" not in compare and restore_buttons(compare) == []
    assert viewer.get(f"{assessment}/scenarios/{cloud}/delete").status_code == 403
    assert delete(viewer, assessment, cloud).status_code == 403
    [button] = restore_buttons(shown(client, f"{assessment}/scenarios"))
    assert post(viewer, button, f"{assessment}/scenarios").status_code == 403
    assert len(stored(app, assessment)) == 1


def test_a_scenario_or_a_deletion_of_another_assessment_is_not_found(app: Flask, client: FlaskClient) -> None:
    first, second = new_assessment(client), new_assessment(client)
    [(cloud, _name, _figure)] = stored(app, first)
    assert client.get(f"{second}/scenarios/{cloud}/delete").status_code == 404
    assert delete(client, second, cloud).status_code == 404
    delete(client, first, cloud)
    [button] = restore_buttons(shown(client, f"{first}/scenarios"))
    elsewhere = button.replace(first, second)
    assert post(client, elsewhere, f"{second}/scenarios").status_code == 404
    assert (
        save(client, second, FORM | {"scenario": "Mine"}, cloud).status_code == 422
    )  # an id from elsewhere edits nothing
    assert stored(app, first) == []
