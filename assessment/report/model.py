"""Everything the report shows, gathered once; the page, the PDF and the JSON all read this."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Any

from assessment.engine.appraisal import Appraisal
from assessment.engine.appraisal_json import appraisal_as_json
from assessment.engine.estimates import Estimates
from assessment.engine.path import Step
from assessment.engine.question_types import Answer, answer_to_data
from assessment.engine.questionnaire import Definitions, Question, Questionnaire, Role
from assessment.engine.readiness import QuestionScore, ReadinessResult, RedFlag
from assessment.engine.readiness_json import result_as_json, rounded


@dataclass(frozen=True)
class ScenarioView:
    name: str
    estimates: Estimates
    appraisal: Appraisal


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    assessment: Answer | None
    """The lead's answer, given for the organisation."""
    respondents: tuple[tuple[str, Answer | None], ...]


@dataclass(frozen=True)
class Decision:
    outcome: str
    conditions: str
    decided_by: str
    decided_on: date
    recorded_by: str
    basis: dict[str, Any]


STEP_WEEKS = 2
"""The path's schedule: its steps one after another, two weeks each, the last done two weeks
before the planned kick-off so the committee can re-assess before it starts."""
RISK_WEEKS = {"high": 4, "medium": 2, "low": 0}
"""When a risk is to be dealt with, by its impact: weeks before kick-off (0: by kick-off)."""


def weeks_before_kick_off(index: int, count: int) -> int:
    """Weeks before kick-off by which step `index` (from 0) of `count` is to be done."""
    return STEP_WEEKS * (count - index)


@dataclass(frozen=True)
class Risk:
    """One row of the risk register, rated from the model rather than from the question's wording."""

    area: str
    question: Question
    flag: RedFlag | None
    """The knock-out, finding or red flag it is, if it is one."""
    likelihood: str
    """"likely", "possible" or "unlikely": the weaker the answer, the likelier the problem."""
    impact: str
    """"high" for a knock-out, a finding or a red flag; otherwise set by the readiness points it costs."""
    lost_points: float
    owner: Role | None
    due_weeks: int
    """Weeks before the planned kick-off by which it is to be dealt with."""


@dataclass(frozen=True)
class Change:
    """One figure of a decision's basis that moved: then and now; for a list, what appeared and went."""

    key: str
    then: Any
    now: Any
    appeared: tuple[Any, ...] = ()
    gone: tuple[Any, ...] = ()


def _likelihood(value: float | None) -> str:
    if value is None or value <= 0.25:
        return "likely"
    return "possible" if value <= 0.5 else "unlikely"


@dataclass(frozen=True)
class Report:
    assessment_id: str
    organisation: str
    workspace: str
    crm_product: str
    logo_data_uri: str | None
    generated_on: date
    definitions: Definitions
    readiness: ReadinessResult
    scenarios: tuple[ScenarioView, ...]
    appendix: tuple[tuple[Questionnaire, tuple[AnswerRow, ...]], ...]
    respondent_names: tuple[str, ...]
    decisions: tuple[Decision, ...]
    answer_count: int = 0
    """Answers given, by the lead and every respondent."""
    lead_name: str = ""
    respondent_roles: tuple[Role | None, ...] = ()
    """Each of `respondent_names`' role, in the same order."""

    @property
    def main(self) -> ScenarioView | None:
        return self.scenarios[0] if self.scenarios else None

    @property
    def path_steps(self) -> list[tuple[Step, int]]:
        """The path to go's steps, each with the weeks before kick-off by which it is to be done."""
        path = self.main.appraisal.path if self.main else None
        steps = path.steps if path else ()
        return [(step, weeks_before_kick_off(i, len(steps))) for i, step in enumerate(steps)]

    def risks(self) -> list[Risk]:
        """The risk register: every red flag, then the answers that cost the most readiness.

        A knock-out, a finding or a red flag is high impact; otherwise impact reads the
        readiness points the answer costs (5 or more high, 2 or more medium), raised to high
        when a step of the path to go answers it. A question the path answers is due when its
        step is; otherwise high-impact risks four weeks before kick-off, medium two, low by kick-off.
        """
        scores = {(s.area, s.question.id): s for area in self.readiness.areas for s in area.questions}
        steps = {(step.area, step.question.id): weeks for step, weeks in self.path_steps if step.question}
        rows: list[Risk] = []
        seen: set[tuple[str, str]] = set()

        def add(area: str, found: QuestionScore | None, question: Question, flag: RedFlag | None) -> None:
            key = (area, question.id)
            if key in seen:
                return
            seen.add(key)
            lost = found.lost_points if found else 0.0
            if flag is not None or lost >= 5 or key in steps:
                impact = "high"
            else:
                impact = "medium" if lost >= 2 else "low"
            value = flag.value if flag is not None else (found.value if found else None)
            owner = self.definitions.area(area).owner_of(question)
            rows.append(
                Risk(area, question, flag, _likelihood(value), impact, lost, owner, steps.get(key, RISK_WEEKS[impact]))
            )

        for flag in self.readiness.red_flags:
            add(flag.area, scores.get((flag.area, flag.question.id)), flag.question, flag)
        for loss in self.readiness.top_losses:
            add(loss.area, loss, loss.question, None)
        return rows

    @property
    def changes_since_decision(self) -> list[Change]:
        """What moved since the last recorded decision: each figure then and now, and the
        knock-outs and red flags that appeared or went. Figures a decision recorded before
        they were kept are left out rather than shown as new."""
        if not self.decisions:
            return []
        then, now = self.decisions[-1].basis, self.basis()
        changes = []
        for key, value in now.items():
            if key not in then or then[key] == value:
                continue
            if isinstance(value, list):
                before = list(then[key] or [])
                changes.append(
                    Change(
                        key,
                        before,
                        value,
                        tuple(i for i in value if i not in before),
                        tuple(i for i in before if i not in value),
                    )
                )
            else:
                changes.append(Change(key, then[key], value))
        return changes

    def basis(self) -> dict[str, Any]:
        """The recommendation and key figures a decision is taken on (kept as JSON with the decision)."""
        main = self.main
        flags = self.readiness.red_flags
        figures: dict[str, Any] = {
            "readiness": rounded(self.readiness.readiness, 1),
            "failure_probability": rounded(self.readiness.failure_probability, 3),
            **{f"area.{a.area}": rounded(a.readiness, 1) for a in self.readiness.areas},
            "knock_outs": sorted(f.id for f in flags if f.kind == "knock_out"),
            "red_flags": sorted(f.id for f in flags if f.kind != "knock_out"),
            "respondents": self.readiness.respondents,
            "answers": self.answer_count,
        }
        if main is not None:
            simulation = main.appraisal.simulation
            figures |= {
                "recommendation": main.appraisal.decision.outcome.value,
                "scenario": main.name,
                "risk_adjusted_npv": rounded(main.appraisal.adjusted.npv, 0),
                "brochure_npv": rounded(main.appraisal.brochure.npv, 0),
                "probability_npv_positive": rounded(simulation.probability_npv_positive, 3),
                "payback_month": rounded(main.appraisal.adjusted.payback_month, 1),
            }
        return figures

    def as_json(self) -> dict[str, Any]:
        return {
            "assessment": self.assessment_id,
            "organisation": self.organisation,
            "workspace": self.workspace,
            "crm_product": self.crm_product,
            "generated_on": self.generated_on.isoformat(),
            "definitions_digest": self.definitions.digest,
            "readiness": result_as_json(self.readiness),
            "scenarios": [
                {"name": s.name, **appraisal_as_json(s.appraisal, s.estimates.currency)} for s in self.scenarios
            ],
            "decisions": [
                {
                    "outcome": d.outcome,
                    "conditions": d.conditions,
                    "decided_by": d.decided_by,
                    "decided_on": d.decided_on.isoformat(),
                    "recorded_by": d.recorded_by,
                    "basis": d.basis,
                }
                for d in self.decisions
            ],
            "risk_register": [
                {
                    "area": r.area,
                    "question": r.question.id,
                    "flag": r.flag.kind if r.flag else None,
                    "likelihood": r.likelihood,
                    "impact": r.impact,
                    "lost_points": rounded(r.lost_points, 2),
                    "owner": r.owner.value if r.owner else None,
                    "weeks_before_kick_off": r.due_weeks,
                }
                for r in self.risks()
            ],
            "path_weeks_before_kick_off": [weeks for _, weeks in self.path_steps],
            "answers": {
                questionnaire.id: {row.question.id: answer_to_data(row.assessment) for row in rows}
                for questionnaire, rows in self.appendix
            },
        }

    def figures(self) -> list[tuple[str, str, str, Any]]:
        """The report's figures as rows (section, scenario, figure, value), for a spreadsheet."""
        rows: list[tuple[str, str, str, Any]] = [
            ("readiness", "", "overall", rounded(self.readiness.readiness, 1)),
            ("readiness", "", "failure_probability", rounded(self.readiness.failure_probability, 4)),
            *(("readiness", "", f"area.{a.area}", rounded(a.readiness, 1)) for a in self.readiness.areas),
            *(("readiness", "", f"coverage.{a.area}", rounded(a.coverage, 4)) for a in self.readiness.areas),
        ]
        for view in self.scenarios:
            appraisal = view.appraisal
            rows.append(("decision", view.name, "recommendation", appraisal.decision.outcome.value))
            for case, figures in (("brochure", appraisal.brochure), ("risk_adjusted", appraisal.adjusted)):
                for name in ("pv_costs", "pv_benefits", "npv", "roi", "payback_month", "irr"):
                    rows.append((case, view.name, name, rounded(getattr(figures, name), 4)))
            simulation = appraisal.simulation
            rows.append(
                ("simulation", view.name, "probability_npv_positive", rounded(simulation.probability_npv_positive, 4))
            )
            for key in ("p10", "p50", "p90"):
                rows.append(("simulation", view.name, f"npv_{key}", rounded(getattr(simulation.npv, key), 2)))
        return rows


def logo_uri(data: bytes | None, kind: str | None) -> str | None:
    """The workspace's logo inline, so rendering never fetches anything."""
    return None if data is None else f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
