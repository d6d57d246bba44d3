"""Draw the gate's decision over overall readiness and the brochure benefit/cost ratio: docs/gate.svg.

    .venv/bin/python scripts/gate_picture.py [OUT]        # OUT defaults to docs/gate.svg

Each cell of the grid is one appraisal by the engine, under the shipped definitions
(`questionnaires/`, its `policy.yaml`):

- **Estimates** (`Estimates`): one-off project costs (implementation, 100,000 / 150,000 /
  240,000, overrunning when scope is weak), a yearly running cost (25,000 / 30,000 / 40,000),
  and one benefit line a month (low 0.6, high 1.2 times its most likely figure, the default
  estimate confidence, a six-month ramp), over the policy's horizon and discount rate. The
  benefit's most likely figure is scaled so that present value of benefits over present value
  of costs, at the most likely figures with no adjustment (the brochure, as `appraise` computes
  it), is the cell's ratio.
- **Readiness**: `score()` on one respondent, the lead, giving every question its best answer
  and a 12-month project (so no red flag, no disagreement, full coverage and no overrun for
  length), then `dataclasses.replace` sets every area's readiness and the overall readiness
  (under every preset) to the cell's, and the chance of delivering to the policy's
  `delivery()` at that readiness, which is what `score()` gives when no red flag caps it.
  Answers cannot produce it: options are discrete, so most readiness figures are out of reach
  in every area at once, and below about 20 no set of answers keeps goals, strategy, adoption
  or process free of a red flag (their knock-out, finding and critical questions alone weigh
  that much at their lowest unflagged answers). Fields the gate and the adjustment do not read
  (question scores, losses, instruments) keep the best answers' values.
- **Then as `appraise`**: `risk_adjustment`, `simulate` (its own seed from the inputs;
  `DRAWS` runs, with `detailed=False`: the IRR and the tornado draw no random numbers, so the
  chance of a positive NPV is the same as with them) and `decide` on that chance.

The grid's columns are one readiness point wide (0-1, 1-2, ..., 99-100), each appraised at its
middle, so the policy's whole-number readiness lines fall on cell edges; rows are 0.125 of the
ratio high, appraised at their middle. Same inputs, same file.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np

from assessment.definitions.loader import load_directory
from assessment.engine.adjustment import risk_adjustment
from assessment.engine.economics import Adjustment, likely_values, lines, metrics
from assessment.engine.estimates import BenefitLine, CostLine, Estimates, ThreePoint, Timing
from assessment.engine.gate import Outcome, decide
from assessment.engine.policy import Policy
from assessment.engine.question_types import Answer
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import ProbabilityReasons, ReadinessResult, RespondentAnswers, score
from assessment.engine.simulation import simulate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "gate.svg"
DRAWS = 2_000
COLUMNS = 100
RATIO_LOW, RATIO_HIGH = 0.5, 4.0
ROWS = 28
PROJECT_MONTHS = 12.0

IMPLEMENTATION = ThreePoint(100_000, 150_000, 240_000)
RUNNING = ThreePoint(25_000, 30_000, 40_000)
BENEFIT_SPREAD = (0.6, 1.0, 1.2)
"""The monthly benefit's low, most likely and high, relative to its most likely figure."""
RAMP_MONTHS = 6

COLOURS = {Outcome.GO: "#009E73", Outcome.CONDITIONAL_GO: "#E69F00", Outcome.NO_GO: "#D55E00"}
"""Okabe and Ito's colour-blind-safe bluish green, orange and vermillion."""
NAMES = {Outcome.GO: "Go", Outcome.CONDITIONAL_GO: "Conditional go", Outcome.NO_GO: "No-go"}
FONT = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Cell:
    readiness: float
    ratio: float
    chance: float
    """The simulated chance of a positive risk-adjusted NPV."""
    outcome: Outcome


# --- the appraisals ---------------------------------------------------------------------------


def estimates_at(ratio: float, policy: Policy) -> Estimates:
    """The cell's estimates: the benefit's most likely figure scaled to give `ratio` in the brochure."""
    unit = _estimates(1.0, policy)
    costs, benefits = brochure(unit)
    built = _estimates(ratio * costs / benefits, policy)
    costs, benefits = brochure(built)
    assert abs(benefits / costs - ratio) < 1e-9 * ratio, "the brochure ratio must be the cell's"
    return built


def _estimates(likely_benefit: float, policy: Policy) -> Estimates:
    low, likely, high = (share * likely_benefit for share in BENEFIT_SPREAD)
    return Estimates(
        "USD",
        (
            CostLine("implementation", IMPLEMENTATION, Timing.ONCE, project=True),
            CostLine("support", RUNNING, Timing.YEARLY),
        ),
        (BenefitLine("margin", (("per_month", ThreePoint(low, likely, high)),), ramp_months=RAMP_MONTHS),),
        horizon_years=policy.economics.horizon_years,
        discount_rate=policy.economics.discount_rate,
    )


def brochure(estimates: Estimates) -> tuple[float, float]:
    """Present values of costs and of benefits at the most likely figures, unadjusted (as `appraise`)."""
    found = metrics(estimates, lines(estimates, likely_values(estimates), Adjustment.none(), np.array([1.0])))
    return float(found.pv_costs[0]), float(found.pv_benefits[0])


def best_answers(definitions: Definitions) -> list[RespondentAnswers]:
    """The lead giving every question its best answer, and a project of `PROJECT_MONTHS`."""
    answers: dict[str, dict[str, Answer]] = {}
    for questionnaire in definitions.questionnaires:
        answers[questionnaire.id] = {
            question.id: best[0]
            for question in questionnaire.questions
            if (best := question.kind.best(question)) is not None
        }
    duration_area, duration_question = definitions.policy.economics.duration_question
    answers[duration_area][duration_question] = PROJECT_MONTHS
    return [RespondentAnswers("lead", None, answers)]


def readiness_at(base: ReadinessResult, readiness: float, policy: Policy) -> ReadinessResult:
    """`base` (no red flag) with every area and the overall readiness at `readiness`."""
    assert not base.red_flags and base.respondents == 1
    delivery = policy.delivery(readiness)
    return dataclasses.replace(
        base,
        areas=tuple(dataclasses.replace(area, readiness=readiness) for area in base.areas),
        readiness=readiness,
        readiness_by_preset=dict.fromkeys(base.readiness_by_preset, readiness),
        delivery_probability=delivery,
        failure_probability=1 - delivery,
        reasons=ProbabilityReasons(readiness, delivery, None, None),
    )


def appraise_grid(definitions: Definitions, columns: int, rows: int, draws: int) -> list[list[Cell]]:
    """Rows from the lowest ratio up, each cell appraised at its middle."""
    policy = definitions.policy
    respondents = best_answers(definitions)
    base = score(definitions, respondents)
    width, height = 100 / columns, (RATIO_HIGH - RATIO_LOW) / rows
    readinesses = [readiness_at(base, (column + 0.5) * width, policy) for column in range(columns)]
    grid = []
    for row in range(rows):
        ratio = RATIO_LOW + (row + 0.5) * height
        estimates = estimates_at(ratio, policy)
        cells = []
        for readiness in readinesses:
            risk = risk_adjustment(readiness, respondents, estimates, policy)
            chance = simulate(estimates, risk, draws, detailed=False).probability_npv_positive
            decision = decide(readiness, chance, policy.gate)
            assert readiness.readiness is not None
            cells.append(Cell(readiness.readiness, ratio, chance, decision.outcome))
        grid.append(cells)
    return grid


# --- the picture ------------------------------------------------------------------------------

LEFT, TOP = 100, 150
CHART_WIDTH, CHART_HEIGHT = 700, 504
WIDTH, HEIGHT = 1060, 900
MARGIN = 40


def _x(readiness: float) -> float:
    return LEFT + CHART_WIDTH * readiness / 100


def _y(ratio: float) -> float:
    return TOP + CHART_HEIGHT * (RATIO_HIGH - ratio) / (RATIO_HIGH - RATIO_LOW)


def _n(value: float) -> str:
    """A coordinate, short and always written the same way."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def _text(x: float, y: float, words: str, size: float = 13, anchor: str = "start", **attributes: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}"{extra}>{escape(words)}</text>'


def _patterns() -> list[str]:
    """Each outcome's fill: its colour, and a texture so the key does not rest on colour alone."""
    go, conditional, no_go = (COLOURS[o] for o in (Outcome.GO, Outcome.CONDITIONAL_GO, Outcome.NO_GO))
    return [
        "<defs>",
        f'<pattern id="go" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="{go}"/>'
        "</pattern>",
        '<pattern id="conditional_go" patternUnits="userSpaceOnUse" width="7" height="7">'
        f'<rect width="7" height="7" fill="{conditional}"/>'
        '<circle cx="3.5" cy="3.5" r="1.3" fill="#000000" fill-opacity="0.35"/></pattern>',
        '<pattern id="no_go" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<rect width="8" height="8" fill="{no_go}"/>'
        '<path d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6" stroke="#ffffff" stroke-opacity="0.6" stroke-width="1.6"/>'
        "</pattern>",
        "</defs>",
    ]


def _cells(grid: list[list[Cell]]) -> list[str]:
    """One rectangle per cell, grouped by outcome so each group names its fill once."""
    rows, columns = len(grid), len(grid[0])
    width, height = CHART_WIDTH / columns, CHART_HEIGHT / rows
    parts = []
    for outcome in Outcome:
        parts.append(f'<g fill="url(#{outcome.value})" shape-rendering="crispEdges">')
        for row, cells in enumerate(grid):
            y = TOP + CHART_HEIGHT - (row + 1) * height
            parts += [
                f'<rect x="{_n(LEFT + column * width)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"/>'
                for column, cell in enumerate(cells)
                if cell.outcome is outcome
            ]
        parts.append("</g>")
    return parts


def _label_size(lines_: Sequence[str], size: float) -> tuple[float, float]:
    """The width and height of a label's box, in pixels (a generous estimate of the text's width)."""
    return max(len(line) for line in lines_) * size * 0.58 + 12, len(lines_) * size * 1.25 + 6


def _label(x: float, y: float, lines_: Sequence[str], size: float = 12.5) -> list[str]:
    """Words on a white box, centred on (x, y), so they read over any fill; the first line bold."""
    width, height = _label_size(lines_, size)
    top = y - height / 2
    parts = [
        f'<rect x="{_n(x - width / 2)}" y="{_n(top)}" width="{_n(width)}" height="{_n(height)}" '
        'rx="4" fill="#ffffff" fill-opacity="0.92" stroke="#333333" stroke-width="0.6"/>'
    ]
    for index, line in enumerate(lines_):
        weight = {"font_weight": "bold"} if index == 0 else {}
        parts.append(_text(x, top + 3 + size * (1.25 * index + 1), line, size, "middle", **weight))
    return parts


def _place(grid: list[list[Cell]], outcome: Outcome, low: float, high: float, lines_: Sequence[str]) -> list[str]:
    """A label inside `outcome`'s cells between readiness `low` and `high`, as near the middle of that
    range as it fits, halfway up the cells it sits on; none when it fits nowhere (the legend still
    names every outcome)."""
    rows, columns = len(grid), len(grid[0])
    cell_width, cell_height = CHART_WIDTH / columns, CHART_HEIGHT / rows
    width, height = _label_size(lines_, 12.5)
    span = int(width / cell_width) + 1
    first, last = round(low / 100 * columns), round(high / 100 * columns) - span
    middle = (first + last) / 2
    fits = []
    for start in range(first, last + 1):
        inside = [all(grid[row][c].outcome is outcome for c in range(start, start + span)) for row in range(rows)]
        run = 0
        for row in range(rows + 1):
            if row < rows and inside[row]:
                run += 1
                continue
            if run * cell_height >= height + 8:
                fits.append((abs(start - middle), -run, start, row - run, run))
            run = 0
    if not fits:
        return []
    *_, start, bottom, run = min(fits)
    x = LEFT + (start + span / 2) * cell_width
    y = TOP + CHART_HEIGHT - (bottom + run / 2) * cell_height
    return _label(x, y, lines_)


def _edge_label(grid: list[list[Cell]], outcome: Outcome, lines_: Sequence[str]) -> list[str]:
    """Words just right of the chart, pointing at `outcome`'s cells in its last column (a band too thin
    to hold a label)."""
    rows = len(grid)
    held = [row for row in range(rows) if grid[row][-1].outcome is outcome]
    if not held:
        return []
    height = CHART_HEIGHT / rows
    y = TOP + CHART_HEIGHT - (min(held) + max(held) + 1) / 2 * height
    x = LEFT + CHART_WIDTH
    parts = [f'<path d="M{_n(x + 2)},{_n(y)} l8,-5 v10 z" fill="#222"/>']
    for index, line in enumerate(lines_):
        weight = {"font_weight": "bold"} if index == 0 else {}
        parts.append(_text(x + 14, y + 4 + 14 * (index - (len(lines_) - 1) / 2), line, 12, **weight))
    return parts


def _region_labels(grid: list[list[Cell]], policy: Policy) -> list[str]:
    gate = policy.gate
    no_go, go = gate.no_go_readiness, gate.go_readiness
    between = f"P(NPV > 0) {_percent(gate.no_go_probability)} to {_percent(gate.go_probability)}"
    return [
        *_place(grid, Outcome.NO_GO, 0, no_go, ["No-go", "readiness too low,", "whatever the return"]),
        *_place(grid, Outcome.CONDITIONAL_GO, no_go, go, ["Conditional", "go at best"]),
        *_place(grid, Outcome.NO_GO, no_go, go, ["No-go", "return", "unlikely"]),
        *_place(grid, Outcome.GO, go, 100, ["Go"]),
        *_place(grid, Outcome.NO_GO, go, 100, ["No-go", "return unlikely"]),
        *(
            _place(grid, Outcome.CONDITIONAL_GO, go, 100, ["Conditional go"])
            or _edge_label(grid, Outcome.CONDITIONAL_GO, ["Conditional go", between])
        ),
    ]


def _axes(policy: Policy) -> list[str]:
    gate = policy.gate
    bottom = TOP + CHART_HEIGHT
    parts = [f'<rect x="{LEFT}" y="{TOP}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" fill="none" stroke="#222222"/>']
    for tick in range(0, 101, 10):
        x = _x(tick)
        parts.append(f'<path d="M{_n(x)},{bottom} v6" stroke="#222222"/>')
        parts.append(_text(x, bottom + 20, str(tick), 12, "middle"))
    for step in range(round((RATIO_HIGH - RATIO_LOW) / 0.5) + 1):
        ratio = RATIO_LOW + 0.5 * step
        y = _y(ratio)
        parts.append(f'<path d="M{LEFT},{_n(y)} h-6" stroke="#222222"/>')
        parts.append(_text(LEFT - 10, y + 4, f"{ratio:g}", 12, "end"))
    centre = LEFT + CHART_WIDTH / 2
    parts.append(_text(centre, bottom + 44, "Overall readiness, 0-100", 14, "middle", font_weight="bold"))
    parts.append(
        _text(centre, bottom + 61, "(each of the five areas at this readiness, no red flag)", 12, "middle", fill="#444")
    )
    middle = TOP + CHART_HEIGHT / 2
    for offset, size, words, weight in (
        (54, 14, "Brochure benefits ÷ costs, present values", "bold"),
        (38, 12, "(at the most likely figures, no risk adjustment)", "normal"),
    ):
        parts.append(
            f'<text x="0" y="0" font-size="{size}" font-weight="{weight}" text-anchor="middle" '
            f'transform="translate({LEFT - offset},{_n(middle)}) rotate(-90)">{escape(words)}</text>'
        )
    # The brochure's break-even: below it even a vendor's calculator shows a loss.
    one = _y(1.0)
    parts.append(
        f'<path d="M{LEFT},{_n(one)} h{CHART_WIDTH}" stroke="#000" stroke-width="1.3" stroke-dasharray="3,3"/>'
    )
    parts.append(_text(LEFT + CHART_WIDTH + 8, one - 3, "1: the brochure", 12))
    parts.append(_text(LEFT + CHART_WIDTH + 8, one + 12, "breaks even", 12))
    # The policy's readiness lines, which the picture follows from.
    parts.append(
        _text(
            centre,
            TOP - 40,
            "Policy thresholds on overall readiness (gate.no_go_readiness, gate.go_readiness)",
            12,
            "middle",
            fill="#444",
        )
    )
    for value, words, anchor, shift in (
        (gate.no_go_readiness, f"{gate.no_go_readiness:g}: a no-go below", "end", -6),
        (gate.go_readiness, f"{gate.go_readiness:g}: a go possible from here", "start", 6),
    ):
        x = _x(value)
        parts.append(f'<path d="M{_n(x)},{TOP - 22} V{bottom + 6}" stroke="#000" stroke-width="2.4"/>')
        parts.append(_text(x + shift, TOP - 12, words, 12.5, anchor, font_weight="bold"))
    return parts


def _legend(policy: Policy) -> list[str]:
    gate = policy.gate
    x = LEFT + CHART_WIDTH + 24
    y = TOP + 40
    chance = "P(NPV > 0)"
    meaning = {
        Outcome.GO: ["plain", f"readiness ≥ {gate.go_readiness:g} and", f"{chance} ≥ {_percent(gate.go_probability)}"],
        Outcome.CONDITIONAL_GO: [
            "dotted",
            f"no blocker, but readiness < {gate.go_readiness:g}",
            f"or {chance} < {_percent(gate.go_probability)}",
        ],
        Outcome.NO_GO: [
            "hatched",
            f"readiness < {gate.no_go_readiness:g}",
            f"or {chance} < {_percent(gate.no_go_probability)}",
        ],
    }
    parts = [_text(x, y - 14, "The decision", 14, font_weight="bold")]
    for index, outcome in enumerate((Outcome.GO, Outcome.CONDITIONAL_GO, Outcome.NO_GO)):
        top = y + index * 66
        texture, *words = meaning[outcome]
        parts.append(
            f'<rect x="{x}" y="{top}" width="28" height="28" fill="url(#{outcome.value})" stroke="#222" '
            'stroke-width="0.8"/>'
        )
        parts.append(_text(x + 36, top + 12, f"{NAMES[outcome]} ({texture})", 13, font_weight="bold"))
        for line, text in enumerate(words):
            parts.append(_text(x + 36, top + 28 + 14 * line, text, 11.5, fill="#333"))
    notes = [
        "P(NPV > 0): the simulated",
        "chance of a positive",
        "risk-adjusted net present",
        "value (gate.go_probability,",
        "gate.no_go_probability)",
    ]
    parts += [_text(x, y + 3 * 66 + 8 + 14 * line, text, 11.5, fill="#333") for line, text in enumerate(notes)]
    return parts


def _delay_steps(policy: Policy) -> list[float]:
    """The readiness figures where benefits start a month earlier (docs/MODEL.md 4.4), from a go's floor up."""
    longest = policy.economics.max_delay_months
    steps = [100 * (1 - (month + 0.5) / longest) for month in range(longest)]
    return sorted(step for step in steps if policy.gate.no_go_readiness < step < 100)


def _notes(policy: Policy, columns: int, rows: int, draws: int) -> list[str]:
    gate, economics = policy.gate, policy.economics
    no_go, go = f"{gate.no_go_readiness:g}", f"{gate.go_readiness:g}"
    shown = [f"{step:.0f}" for step in _delay_steps(policy)]
    steps = " and ".join(part for part in (", ".join(shown[:-1]), shown[-1] if shown else "") if part)
    lines_ = [
        f"Left of {no_go} every cell is a no-go, whatever the return: readiness below the policy's floor. From {no_go} "
        f"to {go}, a conditional go at best.",
        f"From {no_go} up, the simulated chance of a positive risk-adjusted NPV decides too: a no-go below "
        f"{_percent(gate.no_go_probability)}, a conditional go below {_percent(gate.go_probability)}.",
        f"The boundaries step at readiness {steps}: there the chance jumps, as the benefits' delay "
        "shortens by a month (economics.max_delay_months).",
    ]
    if gate.no_go_area_floor <= gate.no_go_readiness and gate.go_area_floor <= gate.go_readiness:
        lines_.append(
            f"The area floors ({gate.no_go_area_floor:g} and {gate.go_area_floor:g}) never show: with every area at "
            "the overall readiness, the overall thresholds bind first."
        )
    lines_ += [
        "Each cell: implementation 100,000 / 150,000 / 240,000 (low / most likely / high) once, running costs "
        "25,000 / 30,000 / 40,000 a year,",
        f"one benefit line ramping up over {RAMP_MONTHS} months, its amount set to give the cell's ratio; "
        f"{economics.horizon_years} years at {_percent(economics.discount_rate)}; a 12-month project.",
        f"{columns} × {rows} cells, each appraised at its middle by the engine (risk_adjustment, simulate with "
        f"{draws:,} seeded runs, decide) under questionnaires/policy.yaml.",
    ]
    top = TOP + CHART_HEIGHT + 96
    return [_text(MARGIN, top + 18 * index, line, 12.5, fill="#222") for index, line in enumerate(lines_)]


def svg(grid: list[list[Cell]], policy: Policy, draws: int) -> str:
    rows, columns = len(grid), len(grid[0])
    title = "CRM Gate: go, conditional go or no-go by readiness and brochure return"
    description = (
        "The go, conditional go or no-go decision of CRM Gate over overall readiness (x, 0 to 100) and the "
        f"brochure ratio of present benefits to present costs (y, {RATIO_LOW:g} to {RATIO_HIGH:g}), "
        "every area at the overall readiness and no red flag, under the shipped policy."
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" fill="#111">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
        *_patterns(),
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        _text(MARGIN, 34, title, 20, font_weight="bold"),
        _text(
            MARGIN,
            58,
            "The decision of assessment/engine/gate.py for a project whose five areas all stand at the overall "
            "readiness, with no red flag,",
            13,
            fill="#333",
        ),
        _text(
            MARGIN,
            76,
            "as the brochure return rises: the present value of benefits over that of costs, at the most likely "
            "figures.",
            13,
            fill="#333",
        ),
        *_cells(grid),
        *_axes(policy),
        *_region_labels(grid, policy),
        *_legend(policy),
        *_notes(policy, columns, rows, draws),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def main(out: Path = OUT, columns: int = COLUMNS, rows: int = ROWS, draws: int = DRAWS) -> Path:
    """Appraise the grid and write the picture to `out`; returns `out`."""
    definitions = load_directory(ROOT / "questionnaires")
    grid = appraise_grid(definitions, columns, rows, draws)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(svg(grid, definitions.policy, draws), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
