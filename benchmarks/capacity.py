"""What the CPU allows: the latency no closed loop of N conversations can beat on this machine.

Operational analysis (asymptotic bounds of a closed system with no think time): with demand `D` (the
time one turn takes alone) and a bottleneck that every turn needs for `D_max` seconds, the mean turn
time of N conversations is at least `max(D, N * D_max)`. The bottlenecks here are CPU: the
orchestrator is one event loop, so it can give a turn at most one core (`D_max` >= its CPU per
turn), and all processes, the load generator included, share the machine's cores
(`D_max` >= all CPU per turn / cores).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.stats import percentile

ORCHESTRATOR = "orchestrator"
LOAD_GENERATOR = "load generator"
_BUSY_FIELDS = (0, 1, 2, 5, 6, 7)  # user, nice, system, irq, softirq, steal (not idle, iowait)
PROBE_INTERVAL_S = 0.02
WAITED_MS = 2.0  # a probe that waited longer found the write lock taken


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine has spent busy since boot (all processes, ours or not)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return sum(int(fields[i]) for i in _BUSY_FIELDS if i < len(fields)) / os.sysconf("SC_CLK_TCK")


def cpu_bound(
    cpu_ms_per_turn: dict[str, float], concurrency: int, single_p50_ms: float | None, cores: int
) -> dict[str, Any]:
    """The bottleneck demand per turn and the floor it sets on the mean turn time of `concurrency` closed-loop
    conversations (compared with the single p50, as the measured levels are).

    `cpu_ms_per_turn` holds every process's CPU per turn (the load generator's included).
    """
    orchestrator = cpu_ms_per_turn.get(ORCHESTRATOR, 0.0)
    machine = sum(cpu_ms_per_turn.values()) / cores
    bottleneck_ms = max(orchestrator, machine)
    floor_ms = max(single_p50_ms or 0.0, concurrency * bottleneck_ms)
    return {
        "cores": cores,
        "orchestrator_core_ms_per_turn": round(orchestrator, 1),
        "machine_ms_per_turn": round(machine, 1),
        "bottleneck": "orchestrator core" if orchestrator >= machine else "all cores",
        "max_turns_per_s": round(1000 / bottleneck_ms, 1) if bottleneck_ms else None,
        "latency_floor_ms": round(floor_ms, 1),
        "latency_floor_over_single_p50": round(floor_ms / single_p50_ms, 2) if single_p50_ms else None,
    }


@contextmanager
def write_lock_probe(database: Path, interval_s: float = PROBE_INTERVAL_S) -> Iterator[list[float]]:
    """While the block runs, a thread takes SQLite's write lock on `database` (`BEGIN IMMEDIATE`, then
    `ROLLBACK`) every `interval_s`; yields the list of how long each take waited, in ms."""
    waits: list[float] = []
    done = threading.Event()

    def probe() -> None:
        conn = sqlite3.connect(database, timeout=60, isolation_level=None)
        try:
            while not done.wait(interval_s):
                start = time.perf_counter()
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                waits.append((time.perf_counter() - start) * 1000)
        finally:
            conn.close()

    thread = threading.Thread(target=probe, name="write-lock-probe", daemon=True)
    thread.start()
    try:
        yield waits
    finally:
        done.set()
        thread.join()


def lock_figures(waits: list[float]) -> dict[str, Any]:
    """How often and how long a writer arriving at a random moment waited for the write lock."""
    return {
        "probes": len(waits),
        "waited_share": round(sum(w > WAITED_MS for w in waits) / len(waits), 3) if waits else None,
        "p95_ms": percentile(waits, 95),
        "max_ms": max(waits, default=None),
    }
