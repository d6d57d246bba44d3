"""What several tests build definitions from: the shipped files, and a small goals file to break."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from assessment.definitions.loader import FILES, POLICY
from tests.conftest import QUESTIONNAIRES

SMALL = textwrap.dedent(
    """\
    id: goals
    version: 1
    title: {en: Goals}
    questions:
      - id: has_goals
        type: yes_no
        roles: [sponsor]
        text: {en: "Are there goals?"}
        mitigation: {en: Write goals.}
      - id: goal_count
        type: number
        roles: [sponsor]
        show_if: {question: has_goals, equals: "yes"}
        text: {en: "How many goals?"}
    """
)


def shipped() -> dict[str, str]:
    return {name: (QUESTIONNAIRES / name).read_text(encoding="utf-8") for name in FILES}


def policy_for_small() -> str:
    """The shipped policy less its rule on a goals question that SMALL does not have."""
    policy = yaml.safe_load(shipped()[POLICY])
    policy["knock_outs"] = [k for k in policy["knock_outs"] if not k["question"].startswith("goals.")]
    return yaml.safe_dump(policy, allow_unicode=True)


def with_goals(text: str) -> dict[str, str]:
    return {**shipped(), "goals.yaml": text, POLICY: policy_for_small()}


def copy_questionnaires(tmp_path: Path, goals: str) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    for name, text in with_goals(goals).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
