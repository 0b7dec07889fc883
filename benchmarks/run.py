"""One benchmark run: the three setups side by side at zero and realistic model delay, then the load test."""

from __future__ import annotations

import asyncio
import os
import platform
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, TypeVar

from benchmarks.baseline import router_baseline
from benchmarks.conversations import CONVERSATIONS, KINDS, LONG_CONVERSATION
from benchmarks.echo_hop import echo_floor, measure_echo_hop
from benchmarks.load import run_load
from benchmarks.measure import (
    TurnRecord,
    answer_figures,
    bytes_figures,
    cost_figures,
    latency_figures,
    paired_difference_ms,
    play,
    play_interleaved,
)
from benchmarks.models import DOUBLE_TITLE, OFFLINE_TITLE, running_double
from benchmarks.processes import running_specialists, system_env
from benchmarks.setups import SETUP_KEYS, Setup, a2a_mesh, in_process_mesh, settings_from
from benchmarks.stats import growth, ratio, window_figures

Records = dict[str, list[TurnRecord]]  # by setup key
T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """How much to measure: `--quick` keeps a run under two minutes on a 2-core machine."""

    quick: bool
    realistic_delay_ms: float
    rounds: int  # passes over the conversation set at zero model delay
    delayed_conversations: int  # conversations played at the realistic delay
    load_turns: int | None  # turns per conversation in the load test (None: all)
    load_levels: tuple[int, ...] = (10, 50, 100)

    @classmethod
    def make(cls, quick: bool, realistic_delay_ms: float) -> Plan:
        """The quick or the full plan."""
        if quick:
            return cls(True, realistic_delay_ms, rounds=1, delayed_conversations=1, load_turns=1)
        return cls(False, realistic_delay_ms, rounds=3, delayed_conversations=10, load_turns=None)


@asynccontextmanager
async def three_setups(a2a_env: dict[str, str], local_dir: Path) -> AsyncIterator[list[Setup]]:
    """The A2A mesh and the baseline over the running specialists; the in-process mesh over its own store."""
    settings = settings_from(a2a_env)
    local = settings_from({**a2a_env, "DATABASE_URL": f"sqlite+aiosqlite:///{local_dir}/store.db"})
    async with AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(a2a_mesh(settings)),
            await stack.enter_async_context(in_process_mesh(local)),
            await stack.enter_async_context(router_baseline(settings)),
        ]


async def _zero_delay(a2a_env: dict[str, str], local_dir: Path, plan: Plan) -> dict[str, Records]:
    async with three_setups(a2a_env, local_dir) as setups:
        await play_interleaved(setups, CONVERSATIONS[:1])  # warm-up: connections, caches, lazy imports
        conversations = await play_interleaved(setups, CONVERSATIONS, rounds=plan.rounds)
        long = await play_interleaved(setups, [LONG_CONVERSATION])
    return {"conversations": conversations, "long": long}


async def _realistic_delay(a2a_env: dict[str, str], local_dir: Path, plan: Plan) -> Records:
    async with three_setups(a2a_env, local_dir) as setups:
        await asyncio.gather(*(play(s, CONVERSATIONS[0], turns=1) for s in setups))  # warm-up, all at once
        return await play_interleaved(setups, CONVERSATIONS[1 : 1 + plan.delayed_conversations])


async def _on_double(a2a_env: dict[str, str], local_dir: Path, plan: Plan) -> Records:
    async with three_setups(a2a_env, local_dir) as setups:
        await play_interleaved(setups, CONVERSATIONS[:1])  # warm-up
        return await play_interleaved(setups, CONVERSATIONS)


def _phase(
    root: Path,
    name: str,
    delay_ms: float,
    plan: Plan,
    measure: Callable[[dict[str, str], Path, Plan], Awaitable[T]],
    model_env: Mapping[str, str] | None = None,
) -> tuple[T, list[str]]:
    """Start the specialists with this model delay, then `measure` the setups (each phase has fresh stores).

    `model_env` puts every agent on another model than the offline one.
    """
    a2a_dir, local_dir = root / f"{name}-a2a", root / f"{name}-in-process"
    a2a_dir.mkdir()
    local_dir.mkdir()
    env = {**system_env(a2a_dir, delay_ms), **(model_env or {})}
    with running_specialists(env, a2a_dir) as services:
        return asyncio.run(measure(env, local_dir, plan)), services.start_failures


def _setup_figures(key: str, zero: dict[str, Records], delayed: Records) -> dict[str, Any]:
    records, long = zero["conversations"][key], zero["long"][key]
    long_latency = [r.result.latency_s * 1000 for r in long]
    long_input = [float(r.result.usage.input_tokens) for r in long]
    per_call = [ratio(r.result.usage.input_tokens, r.result.usage.llm_calls) or 0.0 for r in long]
    return {
        "answers": answer_figures([r for r in records if r.round == 0]),
        "cost": cost_figures([r for r in records if r.round == 0]),
        "latency_zero": latency_figures(records),
        "latency_realistic": latency_figures(delayed[key]),
        "answers_realistic": answer_figures(delayed[key]),
        "long_conversation": {
            "bytes": bytes_figures(long) if key != "in_process" else None,
            "latency_ms": long_latency,
            "latency_growth": growth(long_latency),
            "input_tokens": long_input,
            "input_tokens_growth": growth(long_input),
            "prompt_tokens_per_call": window_figures(per_call),
            "answers": answer_figures(long),
        },
    }


def _cost_ratios(x: dict[str, Any], y: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Ratios of setup `x`'s model calls and tokens to setup `y`'s, by kind of turn."""
    return {
        metric: {kind: ratio(x["cost"][kind][metric], y["cost"][kind][metric]) for kind in KINDS}
        for metric in ("llm_calls", "input_tokens", "output_tokens")
    }


def _compare(x: dict[str, Any], y: dict[str, Any]) -> dict[str, Any]:
    """Ratios of setup `x`'s figures to setup `y`'s."""

    def latency(phase: str, metric: str) -> float | None:
        return ratio(x[phase][metric], y[phase][metric])

    x_bytes, y_bytes = x["long_conversation"]["bytes"], y["long_conversation"]["bytes"]
    return {
        **_cost_ratios(x, y),
        "latency_p50_zero": latency("latency_zero", "p50_ms"),
        "latency_p95_zero": latency("latency_zero", "p95_ms"),
        "first_text_p50_zero": latency("latency_zero", "first_text_p50_ms"),
        "latency_p50_realistic": latency("latency_realistic", "p50_ms"),
        "latency_p95_realistic": latency("latency_realistic", "p95_ms"),
        "first_text_p50_realistic": latency("latency_realistic", "first_text_p50_ms"),
        "bytes_per_turn": ratio(x_bytes["mean"], y_bytes["mean"]) if x_bytes and y_bytes else None,
    }


def _ratios(setups: dict[str, dict[str, Any]], zero: dict[str, Records], delayed: Records) -> dict[str, Any]:
    """A2A mesh vs in-process mesh (what the transport costs) and mesh vs baseline (what the design saves)."""
    a2a_vs_local = _compare(setups["a2a"], setups["in_process"])
    a2a_vs_local["added_p50_ms_zero"] = paired_difference_ms(
        zero["conversations"]["a2a"], zero["conversations"]["in_process"]
    )
    a2a_vs_local["added_p50_ms_realistic"] = paired_difference_ms(delayed["a2a"], delayed["in_process"])
    return {"a2a_vs_in_process": a2a_vs_local, "mesh_vs_baseline": _compare(setups["a2a"], setups["baseline"])}


def _double_figures(records: Records, stats: dict[str, Any]) -> dict[str, Any]:
    """Answers, model calls and tokens of each setup on the double, their ratios, and what the double saw."""
    setups = {key: {"answers": answer_figures(records[key]), "cost": cost_figures(records[key])} for key in SETUP_KEYS}
    return {
        "model": DOUBLE_TITLE,
        "setups": setups,
        "ratios": {
            "a2a_vs_in_process": _cost_ratios(setups["a2a"], setups["in_process"]),
            "mesh_vs_baseline": _cost_ratios(setups["a2a"], setups["baseline"]),
        },
        "double": stats,
        "turns": {key: [r.as_dict() for r in records[key]] for key in SETUP_KEYS},
    }


def _on_the_double(root: Path, plan: Plan) -> tuple[dict[str, Any], list[str]]:
    """The conversation set at zero delay through the three setups, every agent on the chat double."""
    (root / "double").mkdir()
    with running_double(root / "double") as double:
        records, failures = _phase(root, "double", 0.0, plan, _on_double, double.env)
        return _double_figures(records, double.stats()), failures


def run(plan: Plan) -> dict[str, Any]:
    """Measure everything the plan asks for and return the figures (JSON-ready)."""
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    marks = [time.perf_counter()]
    with TemporaryDirectory(prefix="benchmarks-") as tmp:
        root = Path(tmp)
        zero, zero_failures = _phase(root, "zero", 0.0, plan, _zero_delay)
        echo = measure_echo_hop()
        marks.append(time.perf_counter())
        delayed, delayed_failures = _phase(root, "realistic", plan.realistic_delay_ms, plan, _realistic_delay)
        marks.append(time.perf_counter())
        on_double, double_failures = _on_the_double(root, plan)
        marks.append(time.perf_counter())
        (root / "load").mkdir()
        load = run_load(root / "load", plan.realistic_delay_ms, plan.load_levels, plan.load_turns)
        marks.append(time.perf_counter())
    names = ("zero_delay", "realistic_delay", "chat_double", "load")
    phases = dict(zip(names, (b - a for a, b in pairwise(marks)), strict=True))
    setups = {key: _setup_figures(key, zero, delayed) for key in SETUP_KEYS}
    return {
        "meta": {
            "started_at": started_at,
            "plan": asdict(plan),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "conversations": len(CONVERSATIONS),
            "scripted_turns": sum(len(c.turns) for c in CONVERSATIONS),
            "duration_s": round(marks[-1] - marks[0], 1),
            "phase_s": {name: round(seconds, 1) for name, seconds in phases.items()},
            "start_failures": zero_failures + delayed_failures + double_failures + load["start_failures"],
        },
        "model": OFFLINE_TITLE,
        "setups": setups,
        "ratios": (ratios := _ratios(setups, zero, delayed)),
        "echo_hop": echo_floor(echo, zero["conversations"]["a2a"], ratios["a2a_vs_in_process"]["added_p50_ms_zero"]),
        "chat_double": on_double,
        "load": load,
        "turns": {
            key: {
                "zero_delay": [r.as_dict() for r in zero["conversations"][key]],
                "long_conversation": [r.as_dict() for r in zero["long"][key]],
                "realistic_delay": [r.as_dict() for r in delayed[key]],
            }
            for key in SETUP_KEYS
        },
    }
