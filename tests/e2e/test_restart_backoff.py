"""A supervised child that keeps crashing is restarted for ever, with a delay that doubles up to a cap and
starts over once the child has stayed up; real (tiny) processes, short delays."""

import re
import sys
import time

from orchestrator.supervisor import Backoff, Child


def crash_loop(child: Child, backoff: Backoff, crashes: int) -> list[str]:
    """Supervise `child` as `up` does until it has crashed `crashes` times; the report lines."""
    reports: list[str] = []
    child.start()
    deadline = time.monotonic() + 30
    try:
        while len(reports) < crashes:
            assert time.monotonic() < deadline, reports
            report = child.tend(backoff, time.monotonic())
            if report:
                reports.append(report)
            time.sleep(0.005)
    finally:
        child.terminate()
        child.reap(time.monotonic() + 5)
    return reports


def delays(reports: list[str]) -> list[float]:
    return [float(re.search(r"restarting in ([0-9.]+)s", line).group(1)) for line in reports]


def test_the_delay_doubles_up_to_the_cap_and_every_restart_is_reported():
    child = Child("crasher", [sys.executable, "-c", "raise SystemExit(3)"], health_url="")
    reports = crash_loop(child, Backoff(first_s=0.01, max_s=0.08, reset_after_s=60), crashes=7)
    assert delays(reports) == [0.01, 0.02, 0.04, 0.08, 0.08, 0.08, 0.08]
    assert all(line.startswith("crasher exited with code 3; restarting in ") for line in reports), reports
    assert reports[-1].endswith("(crash 7 in a row)")


def test_a_child_that_stayed_up_starts_again_from_the_first_delay():
    child = Child("slow-crasher", [sys.executable, "-c", "import time; time.sleep(0.3); raise SystemExit(4)"], "")
    reports = crash_loop(child, Backoff(first_s=0.01, max_s=1.0, reset_after_s=0.2), crashes=3)
    assert delays(reports) == [0.01, 0.01, 0.01]
    assert all(line.endswith("(crash 1 in a row)") for line in reports), reports
