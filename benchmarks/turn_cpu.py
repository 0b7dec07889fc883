"""`python -m benchmarks.turn_cpu`: the orchestrator's CPU time per turn, robust on a busy machine.

The orchestrator runs in this process (`benchmarks.setups.a2a_mesh`) over the five specialists as
`specialists serve` subprocesses, on the offline model at 0 ms/token. After three warm-up
conversations it plays the scripted conversations `--rounds` times and reads this process's CPU
time (`time.process_time`: every thread, so the SQLite writer's too) around each turn, by kind of
turn, and the specialists' CPU time (`/proc/<pid>/stat`) over all of them, per turn and per A2A call
(the specialists on each turn's route). `--profile FILE` writes a cProfile of the measured turns, timed
in CPU time as well.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import time
from collections import defaultdict
from pathlib import Path
from tempfile import TemporaryDirectory

from agents.definitions import ORCHESTRATOR
from agents.telemetry import setup_telemetry
from benchmarks.conversations import CONVERSATIONS, KINDS
from benchmarks.processes import cpu_seconds, running_specialists, system_env
from benchmarks.setups import Chat, a2a_mesh, settings_from
from benchmarks.stats import mean

WARM_UP = 3  # conversations


async def measure(
    env: dict[str, str], rounds: int, profile: Path | None, specialists: dict[str, int]
) -> dict[str, list[float]]:
    """CPU seconds of each measured turn, by kind (and "all"); model calls and misses under "calls"/"misses";
    A2A calls per turn under "hops" and the specialists' (`specialists`: pids) CPU seconds in all under
    "specialists"."""
    logging.getLogger().setLevel(logging.WARNING)
    cpu: dict[str, list[float]] = defaultdict(list)
    async with a2a_mesh(settings_from(env)) as setup:
        for conversation in CONVERSATIONS[:WARM_UP]:
            chat = Chat(conversation.customer)
            for turn in conversation.turns:
                await setup.say(chat, turn.text)
        profiler = cProfile.Profile(time.process_time) if profile else None
        if profiler:
            profiler.enable()
        before = _cpu(specialists)
        for _ in range(rounds):
            for conversation in CONVERSATIONS:
                chat = Chat(conversation.customer)
                for turn in conversation.turns:
                    start = time.process_time()
                    result = await setup.say(chat, turn.text)
                    used = time.process_time() - start
                    cpu[turn.kind].append(used)
                    cpu["all"].append(used)
                    cpu["calls"].append(result.usage.llm_calls)
                    cpu["misses"].append(float(result.agent != turn.expect))
                    cpu["hops"].append(sum(1 for agent in result.route if agent != ORCHESTRATOR.name))
        cpu["specialists"].append(_cpu(specialists) - before)
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(profile)
    return cpu


def _cpu(pids: dict[str, int]) -> float:
    return sum(cpu_seconds(pid) or 0.0 for pid in pids.values())


def main(argv: list[str] | None = None) -> int:
    """Entry point: prints one line per kind of turn and one for all."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.turn_cpu", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the scripted conversations")
    parser.add_argument("--profile", type=Path, help="write a cProfile (CPU time) of the measured turns here")
    args = parser.parse_args(argv)
    setup_telemetry("benchmarks")  # the orchestrator in this process runs MAF as the service does
    with TemporaryDirectory(prefix="turn-cpu-") as tmp:
        env = system_env(Path(tmp), 0.0)
        with running_specialists(env, Path(tmp)) as services:
            cpu = asyncio.run(measure(env, args.rounds, args.profile, services.pids))
    for kind in (*KINDS, "all"):
        print(f"{kind:5s}: {len(cpu[kind]):3d} turns, orchestrator CPU {1000 * (mean(cpu[kind]) or 0):.1f} ms/turn")
    print(
        f"model calls per turn {mean(cpu['calls']) or 0:.2f}, turns not answered by the expected agent "
        f"{int(sum(cpu['misses']))}"
    )
    turns, hops = len(cpu["all"]), sum(cpu["hops"])
    if turns and hops:
        used = 1000 * cpu["specialists"][0]
        print(
            f"specialists CPU {used / turns:.1f} ms/turn, {used / hops:.2f} ms per A2A call "
            f"({hops / turns:.2f} calls a turn)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
