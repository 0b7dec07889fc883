"""Concurrent conversations against the running system (`ecommerce-agents up`) through its chat API."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from benchmarks.capacity import LOAD_GENERATOR, cpu_bound, lock_figures, machine_busy_seconds, write_lock_probe
from benchmarks.conversations import CONVERSATIONS, Conversation
from benchmarks.processes import RunningSystem, cpu_seconds, peak_memory_mib, running_up, system_env
from benchmarks.stats import percentile, ratio

REQUEST_TIMEOUT_S = 180.0
SINGLE_CONVERSATIONS = 8  # played one after another for the single-conversation reference


@dataclass(frozen=True)
class Outcome:
    """One POST /api/chat: its latency and, when it failed, why."""

    latency_s: float
    error: str | None = None


async def converse(
    client: httpx.AsyncClient, conversation: Conversation, turns: int | None, codec: TokenCodec
) -> list[Outcome]:
    """Say the conversation's turns in order, as a storefront would; a failed turn does not stop it."""
    headers = {}
    if conversation.customer:
        headers["authorization"] = "Bearer " + codec.mint(STOREFRONT_AUDIENCE, conversation.customer, 3600)
    conversation_id: str | None = None
    outcomes = []
    for turn in conversation.turns[:turns]:
        start = time.perf_counter()
        body = {"message": turn.text, "conversation_id": conversation_id}
        try:
            response = await client.post("/api/chat", json=body, headers=headers)
        except httpx.HTTPError as exc:
            outcomes.append(Outcome(time.perf_counter() - start, type(exc).__name__))
            continue
        latency = time.perf_counter() - start
        data = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        conversation_id = data.get("conversation_id") or conversation_id
        ok = response.status_code == 200 and bool(str(data.get("reply", "")).strip())
        outcomes.append(Outcome(latency, None if ok else f"HTTP {response.status_code}"))
    return outcomes


async def load_level(api_url: str, concurrency: int, turns: int | None, codec: TokenCodec) -> dict[str, Any]:
    """`concurrency` conversations at once (the scripted set, cycled), each turn after the other."""
    conversations = [CONVERSATIONS[i % len(CONVERSATIONS)] for i in range(concurrency)]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=api_url, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        start = time.perf_counter()
        results = await asyncio.gather(*(converse(client, c, turns, codec) for c in conversations))
        wall = time.perf_counter() - start
    return _level_figures(concurrency, [o for conversation in results for o in conversation], wall)


def _level_figures(concurrency: int, outcomes: Sequence[Outcome], wall: float) -> dict[str, Any]:
    ok = [o.latency_s * 1000 for o in outcomes if o.error is None]
    return {
        "concurrency": concurrency,
        "turns": len(outcomes),
        "ok": len(ok),
        "errors": len(outcomes) - len(ok),
        "error_kinds": dict(Counter(o.error for o in outcomes if o.error)),
        "wall_s": wall,
        "turns_per_s": len(ok) / wall if wall else None,
        "p50_ms": percentile(ok, 50),
        "p95_ms": percentile(ok, 95),
    }


def cpu_figures(used_s: dict[str, float], wall_s: float, turns: int) -> dict[str, Any]:
    """Who used how much CPU during a measured phase: share of one core, ms per answered turn, shares of the total."""
    total = sum(used_s.values())
    ordered = sorted(used_s.items())
    return {
        "cpu_share_of_one_core": {name: round(cpu / wall_s, 2) for name, cpu in ordered},
        "cpu_ms_per_turn": {name: round(cpu * 1000 / turns, 1) for name, cpu in ordered} if turns else {},
        "cpu_ms_per_turn_total": round(total * 1000 / turns, 1) if turns else None,
        "orchestrator_cpu_share": ratio(used_s.get("orchestrator"), total),
    }


async def _measured(system: RunningSystem, level: Awaitable[dict[str, Any]], database: Path) -> dict[str, Any]:
    """Run `level`, reading every service's CPU time (/proc/<pid>/stat) before and after it, this
    process's (the load generator shares the machine's cores) and the whole machine's, and probing
    the SQLite store's write lock meanwhile."""
    children = system.children()
    before = {name: cpu_seconds(pid) or 0.0 for name, pid in children.items()}
    mine, machine = time.process_time(), machine_busy_seconds()
    with write_lock_probe(database) as waits:
        result = await level
    result["write_lock"] = lock_figures(waits)
    used = {name: (cpu_seconds(pid) or 0.0) - before[name] for name, pid in children.items()}
    generator, machine = time.process_time() - mine, machine_busy_seconds() - machine
    result.update(cpu_figures(used, result["wall_s"], result["ok"]))
    ok, wall = result["ok"], result["wall_s"]
    result["load_generator_cpu_ms_per_turn"] = round(generator * 1000 / ok, 1) if ok else None
    result["machine_busy_cores"] = round(machine / wall, 2) if wall else None  # every process, ours or not
    return result


def _with_bound(level: dict[str, Any], single_p50_ms: float | None) -> dict[str, Any]:
    """The level with the latency floor its measured CPU per turn sets (`benchmarks.capacity`)."""
    if not level.get("cpu_ms_per_turn"):
        return level
    demand = {**level["cpu_ms_per_turn"], LOAD_GENERATOR: level["load_generator_cpu_ms_per_turn"] or 0.0}
    return {**level, "cpu_bound": cpu_bound(demand, level["concurrency"], single_p50_ms, os.cpu_count() or 1)}


async def single_conversation(api_url: str, turns: int | None, codec: TokenCodec) -> dict[str, Any]:
    """The reference for the load levels: conversations one after another, never two at once."""
    outcomes: list[Outcome] = []
    async with httpx.AsyncClient(base_url=api_url, timeout=REQUEST_TIMEOUT_S) as client:
        start = time.perf_counter()
        for conversation in CONVERSATIONS[:SINGLE_CONVERSATIONS]:
            outcomes += await converse(client, conversation, turns, codec)
        wall = time.perf_counter() - start
    return _level_figures(1, outcomes, wall)


async def _levels(
    system: RunningSystem, levels: Sequence[int], turns: int | None, codec: TokenCodec, database: Path
) -> dict[str, Any]:
    """The single-conversation reference, then each level, with what each service's CPU did meanwhile."""
    await load_level(system.api_url, 1, turns, codec)  # warm-up, not reported
    single = await _measured(system, single_conversation(system.api_url, turns, codec), database)
    results = []
    for level in levels:
        result = await _measured(system, load_level(system.api_url, level, turns, codec), database)
        result["p50_over_single_p50"] = ratio(result["p50_ms"], single["p50_ms"])
        result["p95_over_single_p50"] = ratio(result["p95_ms"], single["p50_ms"])
        results.append(_with_bound(result, single["p50_ms"]))
    return {"single": single, "levels": results}


def run_load(workdir: Path, token_delay_ms: float, levels: Sequence[int], turns: int | None) -> dict[str, Any]:
    """Start `up` in `workdir`, run each concurrency level, read every service's peak memory, stop it."""
    env = system_env(workdir, token_delay_ms)
    codec = TokenCodec(env["STOREFRONT_TOKEN_SECRET"], STOREFRONT_ISSUER)
    with running_up(env, workdir) as system:
        measured = asyncio.run(_levels(system, levels, turns, codec, workdir / "store.db"))
        memory = {name: peak_memory_mib(pid) for name, pid in sorted(system.children().items())}
        memory["supervisor (up)"] = peak_memory_mib(system.process.pid)
    return {
        "token_delay_ms": token_delay_ms,
        "turns_per_conversation": turns,
        "single": measured["single"],
        "levels": measured["levels"],
        "peak_memory_mib": memory,
        "start_failures": system.start_failures,
    }
