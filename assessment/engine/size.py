"""A project's size (users, months, one-off budget) and the policy's size bands (docs/MODEL.md section 1.7).

Formal-governance expectations scale with the project: a question may be asked only from a
band up (`from_size`), or raise red flags only from a band up (`red_flags_from_size`). Which
band a project is in is read here from the bands the policy declares; which questions scale is
declared in the questionnaires. No size rule lives in code beyond reading those declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.engine.estimates import Estimates, Timing
from assessment.engine.text import Text


@dataclass(frozen=True)
class ProjectProfile:
    """What is known of a project's size; None where it is not known."""

    users: int | None = None
    months: float | None = None
    """From kick-off to the last go-live."""
    budget: float | None = None
    """One-off costs, most likely figures, in the estimates' currency."""

    @property
    def known(self) -> bool:
        return any(v is not None for v in (self.users, self.months, self.budget))

    def completed(self, other: ProjectProfile) -> ProjectProfile:
        """This profile, with what it does not know taken from `other`."""
        return ProjectProfile(
            self.users if self.users is not None else other.users,
            self.months if self.months is not None else other.months,
            self.budget if self.budget is not None else other.budget,
        )


@dataclass(frozen=True)
class SizeBand:
    """A project is in this band when every limit stated holds for every figure known."""

    id: str
    users_at_most: float | None = None
    months_at_most: float | None = None
    budget_at_most: float | None = None

    def holds(self, profile: ProjectProfile) -> bool:
        pairs = (
            (profile.users, self.users_at_most),
            (profile.months, self.months_at_most),
            (profile.budget, self.budget_at_most),
        )
        return all(value is None or limit is None or value <= limit for value, limit in pairs)


@dataclass(frozen=True)
class ProjectSizes:
    """The policy's bands, smallest first; the last states no limit. No bands: one size for all."""

    bands: tuple[SizeBand, ...] = ()
    source: Text | None = None

    def band_of(self, profile: ProjectProfile) -> str | None:
        """The first band the project fits; None (held to every expectation) when nothing is known of it."""
        if not self.bands or not profile.known:
            return None
        return next((band.id for band in self.bands if band.holds(profile)), self.bands[-1].id)

    def reached(self, band: str | None) -> frozenset[str] | None:
        """The band and every smaller one; None (every band) for a project held to every expectation."""
        ids = [b.id for b in self.bands]
        if band is None or band not in ids:
            return None
        return frozenset(ids[: ids.index(band) + 1])


def budget_of(estimates: Estimates) -> float:
    """The one-off costs at their most likely figures (per-user lines for every user)."""
    return sum(
        line.amount.likely * (estimates.users if line.per_user else 1)
        for line in estimates.costs
        if line.timing is Timing.ONCE
    )


def profile_of(estimates: Estimates) -> ProjectProfile:
    """What estimates say of a project's size: its users and its one-off budget."""
    return ProjectProfile(users=estimates.users, budget=budget_of(estimates))
