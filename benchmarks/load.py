"""Concurrent conversations against the running system (`ecommerce-agents up`) through its chat API."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from benchmarks.conversations import CONVERSATIONS, Conversation
from benchmarks.processes import RunningSystem, cpu_seconds, peak_memory_mib, running_up, system_env
from benchmarks.stats import percentile

REQUEST_TIMEOUT_S = 180.0


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
    outcomes = [o for conversation in results for o in conversation]
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


async def _levels(
    system: RunningSystem, levels: Sequence[int], turns: int | None, codec: TokenCodec
) -> list[dict[str, Any]]:
    """Each level in turn, with the share of one core each service used meanwhile (who is the bottleneck)."""
    await load_level(system.api_url, 1, turns, codec)  # warm-up, not reported
    children = system.children()
    results = []
    for level in levels:
        before = {name: cpu_seconds(pid) or 0.0 for name, pid in children.items()}
        result = await load_level(system.api_url, level, turns, codec)
        used = {name: (cpu_seconds(pid) or 0.0) - before[name] for name, pid in children.items()}
        result["cpu_share_of_one_core"] = {name: round(cpu / result["wall_s"], 2) for name, cpu in sorted(used.items())}
        results.append(result)
    return results


def run_load(workdir: Path, token_delay_ms: float, levels: Sequence[int], turns: int | None) -> dict[str, Any]:
    """Start `up` in `workdir`, run each concurrency level, read every service's peak memory, stop it."""
    env = system_env(workdir, token_delay_ms)
    codec = TokenCodec(env["STOREFRONT_TOKEN_SECRET"], STOREFRONT_ISSUER)
    with running_up(env, workdir) as system:
        results = asyncio.run(_levels(system, levels, turns, codec))
        memory = {name: peak_memory_mib(pid) for name, pid in sorted(system.children().items())}
        memory["supervisor (up)"] = peak_memory_mib(system.process.pid)
    return {
        "token_delay_ms": token_delay_ms,
        "turns_per_conversation": turns,
        "levels": results,
        "peak_memory_mib": memory,
        "start_failures": system.start_failures,
    }
