"""Run the benchmarks, each in its own process so that one's memory and warm caches cannot colour another's.

Every benchmark runs even when an earlier one misses its goal; a summary line per benchmark follows, and the
exit status is non-zero when any missed. `python -m bench report load` runs only the ones named.
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = ("startup", "pages", "scoring", "simulation", "economics", "report", "lists", "pipeline", "load")
"""`load` drives the production server on PostgreSQL (TEST_POSTGRES_URL, else a throw-away one) for about a minute."""


def run(name: str) -> int:
    """One benchmark's exit status; on Ctrl-C, which reaches it too, wait for it to remove its temporary folder."""
    child = subprocess.Popen([sys.executable, "-m", f"bench.{name}"])  # noqa: S603 - our own modules
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.wait()
        raise


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)}; there are {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    outcomes = {}
    for name in names or BENCHMARKS:
        print(f"\n== {name}", flush=True)
        start = time.monotonic()
        outcomes[name] = run(name), time.monotonic() - start
    print()
    for name, (status, seconds) in outcomes.items():
        verdict = "ok" if status == 0 else f"MISSED its goal or failed (exit {status})"
        print(f"{name:<11} {seconds:6.1f} s  {verdict}")
    missed = [name for name, (status, _) in outcomes.items() if status != 0]
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
