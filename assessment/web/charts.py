"""Geometry for the SVG charts: plain coordinates the templates draw, no inline style.

Every chart is accompanied by its numbers in a table, so nothing rests on the picture alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD = 600.0, 200.0, 8.0


@dataclass(frozen=True)
class LineChart:
    lines: Mapping[str, str]
    """Series name -> SVG polyline points."""
    zero_y: float
    markers: Mapping[str, tuple[float, float]]
    """Series name -> the point where the line crosses zero (the payback), where it does."""
    months: Mapping[str, float] = field(default_factory=dict)
    """Series name -> the payback month its marker stands for."""
    y_ticks: Sequence[tuple[float, float]] = ()
    """(y, amount) for each labelled amount on the vertical axis."""
    x_ticks: Sequence[tuple[float, int]] = ()
    """(x, month) for each labelled month on the horizontal axis."""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) from `low` to `high`, about `count` of them."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _scale(low: float, high: float) -> tuple[float, float]:
    span = (high - low) or 1.0
    return low, span


def line_chart(series: Mapping[str, Sequence[float]], crossings: Mapping[str, float | None]) -> LineChart:
    values = [v for points in series.values() for v in points] + [0.0]
    low, span = _scale(min(values), max(values))
    count = max(len(points) for points in series.values())

    def x(index: float) -> float:
        return PAD + (WIDTH - 2 * PAD) * index / max(count - 1, 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - low) / span

    lines = {name: " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points)) for name, points in series.items()}
    markers = {name: (x(month), y(0.0)) for name, month in crossings.items() if month is not None}
    months = {name: month for name, month in crossings.items() if month is not None}
    y_ticks = [(y(v), v) for v in nice_ticks(low, low + span, 6)]
    every = next(m for m in (1, 3, 6, 12, 24) if (count - 1) / m <= 8)
    x_ticks = [(x(m), m) for m in range(0, count, every)]
    return LineChart(lines, y(0.0), markers, months, y_ticks, x_ticks)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    negative: bool


def histogram(edges: Sequence[float], counts: Sequence[int]) -> list[Bar]:
    """Bars of the NPV distribution; those left of zero are marked negative."""
    top = max(counts) or 1
    step = (WIDTH - 2 * PAD) / len(counts)
    return [
        Bar(
            PAD + i * step,
            HEIGHT - PAD - (HEIGHT - 2 * PAD) * c / top,
            step * 0.9,
            (HEIGHT - 2 * PAD) * c / top,
            edges[i + 1] <= 0,
        )
        for i, c in enumerate(counts)
    ]


def tornado(
    base: float, bars: Sequence[tuple[float, float]], row_height: float = 22.0
) -> tuple[list[Bar], float, float]:
    """One horizontal bar per input from its low-case to its high-case NPV; returns bars, base x, height."""
    values = [base] + [v for pair in bars for v in pair]
    low, span = _scale(min(values), max(values))

    def x(value: float) -> float:
        return PAD + (WIDTH - 2 * PAD) * (value - low) / span

    shapes = [
        Bar(min(x(a), x(b)), i * row_height + 4, abs(x(b) - x(a)) or 1.0, row_height - 8, b < a)
        for i, (a, b) in enumerate(bars)
    ]
    return shapes, x(base), len(bars) * row_height


@dataclass(frozen=True)
class ReadinessChart:
    """Readiness (0-100) at each of several assessments, evenly spaced in their order: they are
    occasions, not a time series, and their dates label the axis."""

    lines: Mapping[str, Sequence[str]]
    """Series name -> SVG polyline points, one per unbroken run (a series breaks where it has no value)."""
    dots: Mapping[str, Sequence[tuple[float, float]]]
    """Series name -> a point at each assessment it has a value for."""
    x_ticks: Sequence[tuple[float, int]]
    """(x, index of the assessment) for each labelled assessment on the horizontal axis."""
    y_ticks: Sequence[tuple[float, float]]
    """(y, readiness) for each labelled value on the vertical axis."""


READINESS_INSET = 48.0
"""Room at each end of the time axis for half of a date's label."""


def readiness_chart(series: Mapping[str, Sequence[float | None]]) -> ReadinessChart:
    """One line per series (areas, then overall) over the assessments, on a fixed 0-100 scale."""
    count = max(len(values) for values in series.values())

    def x(index: int) -> float:
        return READINESS_INSET + (WIDTH - 2 * READINESS_INSET) * index / max(count - 1, 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / 100

    lines, dots = {}, {}
    for name, values in series.items():
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
        lines[name] = [" ".join(run) for run in runs if run]
        dots[name] = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    every = math.ceil(count / 8)
    return ReadinessChart(
        lines, dots, [(x(i), i) for i in range(0, count, every)], [(y(v), v) for v in nice_ticks(0, 100, 6)]
    )
