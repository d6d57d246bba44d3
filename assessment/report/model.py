"""Everything the report shows, gathered once; the page, the PDF and the JSON all read this."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Any

from assessment.engine.appraisal import Appraisal
from assessment.engine.appraisal_json import appraisal_as_json
from assessment.engine.estimates import Estimates
from assessment.engine.question_types import Answer, answer_to_data
from assessment.engine.questionnaire import Definitions, Question, Questionnaire
from assessment.engine.readiness import ReadinessResult
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

    @property
    def main(self) -> ScenarioView | None:
        return self.scenarios[0] if self.scenarios else None

    @property
    def changes_since_decision(self) -> list[tuple[str, Any, Any]]:
        """Key figures that moved since the last recorded decision: (figure, then, now)."""
        if not self.decisions:
            return []
        then, now = self.decisions[-1].basis, self.basis()
        return [(key, then.get(key), now.get(key)) for key in now if then.get(key) != now.get(key)]

    def basis(self) -> dict[str, Any]:
        """The recommendation and key figures a decision is taken on."""
        main = self.main
        figures: dict[str, Any] = {
            "readiness": rounded(self.readiness.readiness, 1),
            "failure_probability": rounded(self.readiness.failure_probability, 3),
        }
        if main is not None:
            simulation = main.appraisal.simulation
            figures |= {
                "recommendation": main.appraisal.decision.outcome.value,
                "scenario": main.name,
                "risk_adjusted_npv": rounded(main.appraisal.adjusted.npv, 0),
                "probability_npv_positive": rounded(simulation.probability_npv_positive, 3),
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
