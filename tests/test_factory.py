"""Building the app from its parts: it refuses to start on definitions that do not load."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.config import ConfigError
from assessment.factory import create_app
from tests.definitions.builders import SMALL, copy_questionnaires


def test_the_app_refuses_to_start_on_an_invalid_definition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMGATE_INSTANCE", str(tmp_path / "instance"))
    folder = copy_questionnaires(tmp_path, SMALL.replace("question: has_goals", "question: ghost"))
    with pytest.raises(ConfigError) as caught:
        create_app({"QUESTIONNAIRES_DIR": str(folder), "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert "will not start" in str(caught.value)
    assert "goals.yaml:13: questions[1].show_if.question: no question 'ghost'" in str(caught.value)
