"""Where an assessment stands among the workspace's other scored assessments (docs/MODEL.md section 12).

The percentile of a readiness is the share of peers below it, ties counting half, so that the
middle of a group is 50 whatever its ties. Peers are counted in SQL from the stored area readiness
(`AreaReadiness`), all areas and all three groups (the workspace, the same industry, the same size
band) in one query; a group with fewer peers than the policy's `benchmarks.min_peers` gets its count
and no percentile.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from assessment.engine.policy import BenchmarkPolicy
from assessment.storage.models import AreaReadiness

GROUPS = ("workspace", "industry", "size")


@dataclass(frozen=True)
class Standing:
    """One readiness among one group of peers."""

    peers: int
    percentile: float | None
    """None when the group has fewer peers than the policy asks."""


@dataclass(frozen=True)
class Benchmark:
    """An assessment's standing per area (and `overall`) in each group; empty when it is not scored."""

    areas: dict[str, dict[str, Standing]]
    industry: str | None
    size_band: str | None
    min_peers: int

    def overall(self, group: str = "workspace") -> Standing | None:
        return self.areas.get(AreaReadiness.OVERALL, {}).get(group)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of a group meet `condition`; 0 rather than NULL for none."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _percentile(below: int, equal: int, peers: int, policy: BenchmarkPolicy) -> Standing:
    if peers < policy.min_peers:
        return Standing(peers, None)
    return Standing(peers, 100 * (below + equal / 2) / peers)


def benchmark(session: Session, assessment_id: uuid.UUID, policy: BenchmarkPolicy) -> Benchmark:
    """This assessment's percentiles per area and overall, in the workspace, its industry and its size band."""
    mine, other = aliased(AreaReadiness), aliased(AreaReadiness)
    below = other.readiness < mine.readiness
    equal = other.readiness == mine.readiness
    same = {
        "workspace": other.assessment_id.isnot(None),
        "industry": other.industry == mine.industry,
        "size": other.size_band == mine.size_band,
    }
    columns = [
        _count(condition)
        for group in GROUPS
        for condition in (same[group], and_(same[group], below), and_(same[group], equal))
    ]
    rows = session.execute(
        select(mine.area, mine.industry, mine.size_band, *columns)
        .outerjoin(
            other,
            and_(
                other.workspace_id == mine.workspace_id,
                other.area == mine.area,
                other.assessment_id != mine.assessment_id,
            ),
        )
        .where(mine.assessment_id == assessment_id)
        .group_by(mine.area, mine.industry, mine.size_band)
    ).all()
    areas = {
        row[0]: {
            group: _percentile(int(row[4 + 3 * i]), int(row[5 + 3 * i]), int(row[3 + 3 * i]), policy)
            for i, group in enumerate(GROUPS)
        }
        for row in rows
    }
    industry, size_band = (rows[0][1], rows[0][2]) if rows else (None, None)
    return Benchmark(areas, industry, size_band, policy.min_peers)


def overall_percentiles(
    session: Session, workspace_id: uuid.UUID, assessment_ids: Sequence[uuid.UUID], policy: BenchmarkPolicy
) -> dict[uuid.UUID, Standing]:
    """The overall percentile in the workspace of each of these assessments (a page of the pipeline).

    One pass of window functions over the workspace's overall readiness ranks every assessment at
    once (rank - 1 below it, the rest of its partition tied with it), instead of counting the peers
    again for each row of the page.
    """
    if not assessment_ids:
        return {}
    ranked = (
        select(
            AreaReadiness.assessment_id,
            (func.rank().over(order_by=AreaReadiness.readiness) - 1).label("below"),
            (func.count().over(partition_by=AreaReadiness.readiness) - 1).label("equal"),
            (func.count().over() - 1).label("peers"),
        )
        .where(
            AreaReadiness.workspace_id == workspace_id,
            AreaReadiness.area == AreaReadiness.OVERALL,
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.assessment_id, ranked.c.peers, ranked.c.below, ranked.c.equal).where(
            ranked.c.assessment_id.in_(assessment_ids)
        )
    ).all()
    return {found: _percentile(int(b), int(e), int(n), policy) for found, n, b, e in rows}
