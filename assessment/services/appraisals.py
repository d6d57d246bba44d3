"""One appraisal per distinct set of inputs, computed once and reused while nothing changes.

The economics page, `decision.json`, the report (page, PDF, JSON, CSV) and the scenario
comparison all appraise the same scenario of the same assessment: a 10,000-run simulation and
a path-to-go search, by far the costliest thing a request does. They share the result through
this cache, keyed by a digest of everything the appraisal is computed from, as the PDF cache
(`services/report.py::inputs_digest`) is: the pinned definitions' digest (questionnaires and
policy) and the project size they are applied at, every respondent's answers, the scenario's
estimates (the stored data and the estimates read from it, so whatever the assessment adds to
them, such as its number of users, is in the key), the weights preset, the committee's waivers
and the number of draws. A changed answer, estimate, waiver or policy pin gives another digest,
so a fresh appraisal, at once; nothing is ever invalidated by hand.

Why in process, an LRU in memory, and not in the database as the PDF is: an appraisal is a
tree of frozen engine objects that would need a serialisation of its own to be stored, it is
worth about 100 ms rather than the PDF's seconds, and the engine is deterministic (the seed
follows the estimates), so two workers that each compute it get the same result. Workers do not
share the cache, which is acceptable: each computes an appraisal at most once per set of inputs
while it stays among the most recent `SIZE`. Two threads missing the same digest at once both
compute it; the second stores the same result. Nothing else is shared between assessments: two
of them meet in the cache only if every input, hence the digest, is the same, and then so is
the appraisal.

The cached objects are shared between requests: callers read them and never change them (every
engine result is a frozen dataclass).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from assessment.engine.appraisal import Appraisal, appraise
from assessment.engine.estimates import Estimates
from assessment.engine.questionnaire import Definitions
from assessment.engine.readiness import RespondentAnswers

SIZE = 256
"""Appraisals kept per process: each is a few kilobytes (percentiles, a histogram, the path), never the draws."""

_cache: OrderedDict[str, Appraisal] = OrderedDict()
_lock = threading.Lock()


def inputs_digest(
    definitions: Definitions,
    people: Sequence[RespondentAnswers],
    data: Any,
    estimates: Estimates,
    preset: str | None,
    waivers: Mapping[str, str],
    draws: int | None,
) -> str:
    """A hash of everything `appraise` reads, so equal digests mean equal appraisals."""
    content = [
        definitions.digest,
        definitions.size,
        repr(definitions.project),
        [(p.name, p.role, p.answers) for p in people],
        data,
        repr(estimates),
        preset,
        sorted(waivers.items()),
        draws,
    ]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def appraisal(
    definitions: Definitions,
    people: Sequence[RespondentAnswers],
    data: Any,
    estimates: Estimates,
    preset: str | None = None,
    waivers: Mapping[str, str] | None = None,
    draws: int | None = None,
) -> Appraisal:
    """The appraisal of these inputs: from the cache when they were appraised before, else computed and kept."""
    waivers = waivers or {}
    digest = inputs_digest(definitions, people, data, estimates, preset, waivers, draws)
    with _lock:
        found = _cache.get(digest)
        if found is not None:
            _cache.move_to_end(digest)
            return found
    result = appraise(definitions, people, estimates, preset, waivers, draws)
    with _lock:
        _cache[digest] = result
        _cache.move_to_end(digest)
        while len(_cache) > SIZE:
            _cache.popitem(last=False)
    return result


def clear() -> None:
    """Forget every appraisal (for tests and benchmarks that time the first request)."""
    with _lock:
        _cache.clear()
