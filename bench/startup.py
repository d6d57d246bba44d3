"""Start-up: how long `flask --app app --help` takes, which every `flask` command and every worker start pays.

Each is a fresh process, timed wall-clock from spawn to exit; medians of ROUNDS runs after one warm-up,
printed beside `python -c pass` measured in the same run. Goal: `flask --app app --help` under 1 s.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

from bench.server import ROOT

ROUNDS = int(os.environ.get("BENCH_STARTUP_ROUNDS", "7"))
GOAL_SECONDS = 1.0
HEAVY = ("weasyprint", "matplotlib", "numpy")


def seconds(command: list[str]) -> tuple[float, float]:
    """Median wall-clock and CPU (user + system) seconds of `command` run as a fresh process.

    The CPU time is printed beside the goal, not instead of it: on a machine others load too it
    shows how much of a miss is waiting for a core rather than work of our own."""
    walls, cpus = [], []
    for round_ in range(ROUNDS + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own commands
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if round_:  # the first run only warms the file cache
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    python = [sys.executable]
    bare, bare_cpu = seconds([*python, "-c", "pass"])
    imported, imported_cpu = seconds([*python, "-c", "import app"])
    help_, help_cpu = seconds([*python, "-m", "flask", "--app", "app", "--help"])
    probe = f"import sys, app; print(' '.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')"
    loaded = subprocess.run(  # noqa: S603 - our own code
        [*python, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()

    print(f"medians of {ROUNDS} fresh processes; wall-clock (CPU)")
    print(f"python -c pass              {bare:6.3f} s ({bare_cpu:5.3f} s)")
    print(f"python -c 'import app'      {imported:6.3f} s ({imported_cpu:5.3f} s)  {imported / bare:5.1f}x python")
    verdict = f"(goal < {GOAL_SECONDS:g} s) " + ("ok" if help_ < GOAL_SECONDS else "OVER GOAL")
    print(f"flask --app app --help      {help_:6.3f} s ({help_cpu:5.3f} s)  {help_ / bare:5.1f}x python  {verdict}")
    print(f"heavy libraries loaded at start ({', '.join(HEAVY)}): {loaded}")
    return 0 if help_ < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
