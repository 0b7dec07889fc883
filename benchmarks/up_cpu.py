"""`python -m benchmarks.up_cpu`: the orchestrator's CPU time per turn under `up`, through its chat API.

`benchmarks.turn_cpu` measures the orchestrator in-process; this one starts the whole system
(`ecommerce-agents up`, offline model) and reads the orchestrator process's CPU time
(`/proc/<pid>/stat`, every thread) around two phases, after a warm-up of five conversations at once:
the scripted conversations played `--rounds` times one turn after another, then `--burst` one-turn
conversations at once (the load levels' shape: every turn a first ask). The request handling, auth,
JSON, uvicorn and the store's statements are counted with the turn, as they are under load.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

from agents.identity import STOREFRONT_ISSUER, TokenCodec
from benchmarks.conversations import CONVERSATIONS
from benchmarks.load import REQUEST_TIMEOUT_S, converse, load_level
from benchmarks.processes import RunningSystem, cpu_seconds, running_up, system_env

WARM_UP = 5  # conversations at once


async def measure(system: RunningSystem, codec: TokenCodec, rounds: int, burst: int) -> list[str]:
    """One line per phase: its answered turns and the orchestrator's CPU ms per answered turn."""
    pid = system.children()["orchestrator"]
    await load_level(system.api_url, WARM_UP, None, codec)
    lines = []
    before = cpu_seconds(pid) or 0.0
    outcomes = []
    async with httpx.AsyncClient(base_url=system.api_url, timeout=REQUEST_TIMEOUT_S) as client:
        for _ in range(rounds):
            for conversation in CONVERSATIONS:
                outcomes += await converse(client, conversation, None, codec)
    ok = sum(o.error is None for o in outcomes)
    lines.append(_line("one after another", ok, (cpu_seconds(pid) or 0.0) - before))
    if burst:
        before = cpu_seconds(pid) or 0.0
        level = await load_level(system.api_url, burst, 1, codec)
        lines.append(_line(f"{burst} first asks at once", level["ok"], (cpu_seconds(pid) or 0.0) - before))
    return lines


def _line(phase: str, ok: int, cpu_s: float) -> str:
    per_turn = f"{1000 * cpu_s / ok:.1f}" if ok else "-"
    return f"{phase}: {ok} turns answered, orchestrator CPU {per_turn} ms/turn"


def main(argv: list[str] | None = None) -> int:
    """Entry point: prints one line per phase."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.up_cpu", description=__doc__)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the scripted conversations")
    parser.add_argument("--burst", type=int, default=100, help="one-turn conversations at once (0: none)")
    parser.add_argument("--token-delay-ms", type=float, default=0.0, help="the offline model's delay per token")
    args = parser.parse_args(argv)
    with TemporaryDirectory(prefix="up-cpu-") as tmp:
        env = system_env(Path(tmp), args.token_delay_ms)
        codec = TokenCodec(env["STOREFRONT_TOKEN_SECRET"], STOREFRONT_ISSUER)
        with running_up(env, Path(tmp)) as system:
            lines = asyncio.run(measure(system, codec, args.rounds, args.burst))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
