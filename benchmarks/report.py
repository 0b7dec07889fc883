"""The printed table (three setups side by side, with the ratios) and the JSON files of a run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.conversations import KINDS
from benchmarks.setups import SETUP_KEYS

RESULTS_DIR = Path(__file__).resolve().parent / "results"
HEADER = ("", "mesh A2A", "mesh in-proc", "baseline", "A2A/in-proc", "mesh/baseline")
KIND_LABELS = {"first": "first turn", "same": "same-domain follow-up", "out": "out-of-domain follow-up"}

Row = tuple[str, ...]


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _added_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f} ms"


def _setup_row(
    label: str, results: dict[str, Any], pick: Callable[[dict[str, Any]], float | None], digits: int, ratio_key: str
) -> Row:
    """A row with one figure per setup and the two ratios (`ratio_key` picks them from `ratios`)."""
    ratios = results["ratios"]
    cells = [_num(pick(results["setups"][key]), digits) for key in SETUP_KEYS]
    if not ratio_key:
        return (label, *cells, "", "")
    a2a_local, mesh_baseline = (_dig(ratios[side], ratio_key) for side in ("a2a_vs_in_process", "mesh_vs_baseline"))
    return (label, *cells, _times(a2a_local), _times(mesh_baseline))


def _dig(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _answers_row(label: str, results: dict[str, Any]) -> Row:
    cells = []
    for key in SETUP_KEYS:
        a = results["setups"][key]["answers"]
        cells.append(f"{a['answered']}/{a['turns']} ({a['answered'] / a['turns']:.0%})" if a["turns"] else "–")
    return (label, *cells, "", "")


def _cost_rows(results: dict[str, Any], model: str) -> list[Row]:
    """Answers, then model calls and tokens per answered turn by kind of turn, each section titled with `model`."""
    rows: list[Row] = [
        (f"answers ({model}):", "", "", "", "", ""),
        _answers_row("  answered turns (done, expected agent)", results),
        (
            "  ...stating the expected facts",
            *(str(results["setups"][k]["answers"]["facts_found"]) for k in SETUP_KEYS),
            "",
            "",
        ),
    ]
    for metric, title, digits in (
        ("llm_calls", "model calls", 2),
        ("input_tokens", "input tokens", 0),
        ("output_tokens", "output tokens", 0),
    ):
        rows.append((f"{title} per answered turn ({model}):", "", "", "", "", ""))
        for kind in KINDS:
            rows.append(
                _setup_row(
                    f"  {KIND_LABELS[kind]}",
                    results,
                    lambda s, kind=kind, metric=metric: s["cost"][kind][metric],
                    digits,
                    f"{metric}.{kind}",
                )
            )
    return rows


def build_rows(results: dict[str, Any]) -> list[Row]:
    """The table's rows: answers and cost on each model, bytes, latency, load and memory; every section
    names the model it was measured on."""
    delay = results["meta"]["plan"]["realistic_delay_ms"]
    model = results.get("model", "offline model")
    rows = _cost_rows(results, model)
    if double := results.get("chat_double"):
        rows += [*_cost_rows(double, double["model"]), _double_row(double["double"])]
    long = "long_conversation.bytes"
    per_call = "long_conversation.prompt_tokens_per_call"
    rows += [
        (f"one 20-turn conversation ({model}):", "", "", "", "", ""),
        _setup_row(
            "  bytes to specialists per turn, mean", results, lambda s: _dig(s, f"{long}.mean"), 0, "bytes_per_turn"
        ),
        _setup_row("  ...turns 6-10 mean", results, lambda s: _dig(s, f"{long}.turns_6_10_mean"), 0, ""),
        _setup_row("  ...turns 16-20 mean", results, lambda s: _dig(s, f"{long}.turns_16_20_mean"), 0, ""),
        _setup_row("  bytes growth (16-20 / 6-10, 1 = flat)", results, lambda s: _dig(s, f"{long}.growth"), 2, ""),
        _setup_row(
            "  turn latency growth (16-20 / 6-10)",
            results,
            lambda s: s["long_conversation"]["latency_growth"],
            2,
            "",
        ),
        _setup_row(
            "  model input tokens growth (16-20 / 6-10)",
            results,
            lambda s: s["long_conversation"]["input_tokens_growth"],
            2,
            "",
        ),
        _setup_row(
            "  prompt tokens per model call, turns 6-10",
            results,
            lambda s: _dig(s, f"{per_call}.turns_6_10_mean"),
            0,
            "",
        ),
        _setup_row("  ...turns 16-20", results, lambda s: _dig(s, f"{per_call}.turns_16_20_mean"), 0, ""),
        _setup_row(
            "  prompt tokens per call growth (16-20 / 6-10)", results, lambda s: _dig(s, f"{per_call}.growth"), 2, ""
        ),
    ]
    for phase, title in (("zero", "0 ms/token"), ("realistic", f"{delay:g} ms/token")):
        section = f"latency_{phase}"
        rows.append((f"latency per turn, {model} at {title} (ms):", "", "", "", "", ""))
        rows += [
            _setup_row("  p50", results, lambda s, x=section: s[x]["p50_ms"], 1, f"latency_p50_{phase}"),
            _setup_row("  p95", results, lambda s, x=section: s[x]["p95_ms"], 1, f"latency_p95_{phase}"),
            _setup_row(
                "  first streamed text p50",
                results,
                lambda s, x=section: s[x]["first_text_p50_ms"],
                1,
                f"first_text_p50_{phase}",
            ),
            (
                "  A2A hop, added p50 (paired turns)",
                "",
                "",
                "",
                _added_ms(results["ratios"]["a2a_vs_in_process"][f"added_p50_ms_{phase}"]),
                "",
            ),
        ]
    return rows + _echo_rows(results.get("echo_hop")) + _load_rows(results["load"], model)


def _echo_rows(echo: dict[str, Any] | None) -> list[Row]:
    """The A2A hop's floor: a bare a2a-sdk echo hop, per hop and per turn, and the mesh's hop over it."""
    if not echo:
        return []
    summary = (
        f"p50 {_num(echo['p50_ms'], 2)} ms a hop (CPU {_num(echo['client_cpu_ms'], 2)} client + "
        f"{_num(echo['server_cpu_ms'], 2)} server ms) x {_num(echo['a2a_calls_per_turn'], 2)} A2A calls a turn"
        f" = {_num(echo['floor_per_turn_ms'], 1)} ms; the mesh's hop over it: {_added_ms(echo['added_over_floor_ms'])}"
    )
    binding = echo.get("binding", "JSONRPC")
    return [(f"  A2A hop floor, bare a2a-sdk echo over {binding} (0 ms/token)", summary, "", "", "", "")]


def _double_row(stats: dict[str, Any]) -> Row:
    """What the double saw: its requests (the wire's model calls) and the ones it rejected."""
    rejected = stats["violations"]
    summary = f"{stats['requests']} requests, {len(rejected)} rejected"
    if rejected:
        summary += " (" + "; ".join(sorted({f"{v['agent']}: {v['rule']}" for v in rejected})) + ")"
    return ("  the double saw (warm-up included)", summary, "", "", "", "")


def _load_rows(load: dict[str, Any], model: str) -> list[Row]:
    turns = load["turns_per_conversation"]
    each = "every turn" if turns is None else f"{turns} turn{'s' if turns != 1 else ''}"
    rows: list[Row] = [
        (
            f"`up` under load ({model}, {load['token_delay_ms']:g} ms/token, {each} of each conversation):",
            "",
            "",
            "",
            "",
            "",
        )
    ]
    single = load.get("single")
    for level in ([single] if single else []) + load["levels"]:
        summary = (
            f"{_num(level['turns_per_s'])} turns/s, {level['errors']} err, "
            f"p50 {_num(level['p50_ms'], 0)} ms, p95 {_num(level['p95_ms'], 0)} ms"
        )
        if "p50_over_single_p50" in level:
            summary += (
                f" (p50 {_times(level['p50_over_single_p50'])}, p95 {_times(level['p95_over_single_p50'])}"
                " the single p50)"
            )
        title = "single conversation (one at a time)" if level is single else f"{level['concurrency']} concurrent"
        rows.append((f"  {title}", summary, "", "", "", ""))
        if level.get("cpu_ms_per_turn"):
            rows.append(("    CPU ms per turn", _cpu_summary(level), "", "", "", ""))
        if (lock := level.get("write_lock")) and lock["probes"]:
            rows.append(("    SQLite write lock", _lock_summary(lock), "", "", "", ""))
        if bound := level.get("cpu_bound"):
            allows = _bound_summary(bound, level.get("machine_busy_cores"))
            rows.append(("    what the CPU allows", allows, "", "", "", ""))
    memory = load["peak_memory_mib"]
    rows.append(("peak memory (VmHWM, MiB):", "", "", "", "", ""))
    rows += [(f"  {name}", _num(mib), "", "", "", "") for name, mib in memory.items()]
    rows.append(("  total", _num(sum(m for m in memory.values() if m)), "", "", "", ""))
    return rows


def _cpu_summary(level: dict[str, Any]) -> str:
    """Total CPU ms per answered turn, the orchestrator's share of it, then each service's ms."""
    per_service = level["cpu_ms_per_turn"]
    share = level["orchestrator_cpu_share"]
    others = ", ".join(f"{name} {ms:.1f}" for name, ms in per_service.items() if name != "orchestrator")
    text = (
        f"{_num(level['cpu_ms_per_turn_total'])} total, orchestrator {_num(per_service.get('orchestrator'))}"
        f" ({'–' if share is None else f'{share:.0%}'}); {others}"
    )
    generator = level.get("load_generator_cpu_ms_per_turn")
    return text if generator is None else f"{text}; load generator {generator:.1f} (not in the total)"


def _lock_summary(lock: dict[str, Any]) -> str:
    """How a writer arriving at a random moment fared with the store's write lock."""
    return (
        f"a writer waited in {lock['waited_share']:.0%} of {lock['probes']} probes; p95"
        f" {_num(lock['p95_ms'])} ms, max {_num(lock['max_ms'], 0)} ms"
    )


def _bound_summary(bound: dict[str, Any], machine_busy: float | None) -> str:
    """The latency floor the measured CPU per turn sets, and the bottleneck that sets it."""
    return (
        f"mean turn >= {_num(bound['latency_floor_ms'], 0)} ms ({_times(bound['latency_floor_over_single_p50'])}"
        f" the single p50), at most {_num(bound['max_turns_per_s'])} turns/s: orchestrator's one core"
        f" {_num(bound['orchestrator_core_ms_per_turn'])} ms/turn, all {bound['cores']} cores"
        f" {_num(bound['machine_ms_per_turn'])} ms/turn; the machine was busy"
        f" {_num(machine_busy, 2)} of {bound['cores']} cores"
    )


def render(rows: list[Row]) -> str:
    """A plain-text table; a row with a value only in its second column lets that value run on."""
    full = [r for r in [HEADER, *rows] if any(r[2:])]
    widths = [max(len(r[i]) for r in full) for i in range(len(HEADER))]
    lines = []
    for row in [HEADER, *rows]:
        if not any(row[2:]):
            lines.append(f"{row[0]:<{widths[0]}}  {row[1]}".rstrip())
            continue
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def write_json(results: dict[str, Any], directory: Path = RESULTS_DIR) -> Path:
    """Write the results as `<timestamp>.json` and `latest.json`; returns the timestamped path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = results["meta"]["started_at"].replace(":", "").replace("-", "").replace("+0000", "Z")
    path = directory / f"{stamp}.json"
    text = json.dumps(results, indent=1)
    path.write_text(text)
    (directory / "latest.json").write_text(text)
    return path
