"""The commands `make run` relies on: migrate and seed, both safe to repeat."""

from __future__ import annotations

from flask import Flask

from assessment.demo import DEMO_ORGANISATION


def test_migrating_and_seeding_twice_leaves_one_demo_with_half_its_answers(app: Flask) -> None:
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    first = runner.invoke(args=["demo", "seed"])
    second = runner.invoke(args=["demo", "seed"])
    assert first.output.startswith(f"Created demo assessment for {DEMO_ORGANISATION}")
    assert second.output.startswith(f"Already present: demo assessment for {DEMO_ORGANISATION}")
    path = first.output.split(" at ")[-1].strip()
    assert path == second.output.split(" at ")[-1].strip()
    client = app.test_client()
    assert client.get("/").get_data(as_text=True).count(DEMO_ORGANISATION) == 1
    overall = client.get(f"{path}/answers/summary").get_data(as_text=True)
    assert "Still missing" in overall and "13 of 13 answered" in overall
