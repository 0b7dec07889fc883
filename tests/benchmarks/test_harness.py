"""The harness pieces on a tiny subset: statistics, byte counting, the baseline's one tool, a mesh in-process."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from agents.definitions import SPECIALIST_NAMES, SPECIALISTS
from benchmarks.baseline import TOOL_NAME, router_tool
from benchmarks.capacity import WAITED_MS, cpu_bound, lock_figures, machine_busy_seconds, write_lock_probe
from benchmarks.conversations import CONVERSATIONS
from benchmarks.echo_hop import measure_echo_hop
from benchmarks.load import cpu_figures
from benchmarks.measure import answer_figures, bytes_figures, cost_figures, play
from benchmarks.processes import RunningSystem, is_alive, peak_memory_mib
from benchmarks.report import _load_rows, render
from benchmarks.setups import ByteCounter, in_process_mesh, settings_from
from benchmarks.stats import growth, mean, percentile, ratio, slope

ROOT = Path(__file__).resolve().parents[2]


def test_statistics():
    assert percentile([], 50) is None
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    assert mean([1.0, 2.0, 3.0]) == 2.0
    assert ratio(1.0, 0.0) is None and ratio(None, 2.0) is None and ratio(3.0, 2.0) == 1.5
    assert growth([9.0] * 5 + [1.0, 2.0, 3.0, 4.0, 5.0] * 3) == 1.0
    assert growth([1.0] * 10 + [2.0] * 5) == 2.0
    assert growth([1.0] * 9) is None
    assert slope([1.0, 3.0, 5.0]) == pytest.approx(2.0)


async def test_byte_counter_counts_post_bodies_only():
    counter = ByteCounter()
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda _r: httpx.Response(200))) as client:
        counter.attach(client)
        await client.post("http://specialist.test/a2a", json={"message": "hello"})
        await client.get("http://specialist.test/.well-known/agent-card.json")
    assert counter.total == len(json.dumps({"message": "hello"}, separators=(",", ":")))


def test_the_router_tool_lives_only_in_the_benchmarks():
    for package in ("agents", "orchestrator", "specialists"):
        for path in (ROOT / package).rglob("*.py"):
            assert TOOL_NAME not in path.read_text(), path
    assert TOOL_NAME in (ROOT / "benchmarks" / "baseline.py").read_text()


async def test_the_router_tool_offers_every_specialist_with_its_routing_description():
    sent = []

    async def send(name: str, message: str) -> str:
        sent.append((name, message))
        return "3 in stock at WH-WEST"

    tool = router_tool(send)
    parameters = tool.parameters()
    agent_name = parameters["properties"]["agent_name"]
    assert agent_name["enum"] == list(SPECIALIST_NAMES)
    for definition in SPECIALISTS:
        assert f"- {definition.name}: {definition.description}" in agent_name["description"]
    assert set(parameters["required"]) == {"agent_name", "message"}
    answer = await tool.invoke(arguments={"agent_name": "inventory-fulfillment", "message": "Is OUT-300 in stock?"})
    assert sent == [("inventory-fulfillment", "Is OUT-300 in stock?")]
    assert "WH-WEST" in "".join(c.text or "" for c in answer)


async def test_one_conversation_through_the_in_process_mesh(tmp_path):
    settings = settings_from({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/store.db", "MODEL_PROVIDER": "offline"})
    async with in_process_mesh(settings) as setup:
        records = await play(setup, CONVERSATIONS[0])
    assert [r.turn.kind for r in records] == ["first", "same", "out"]
    assert all(r.result.ok and r.result.usage.llm_calls > 0 for r in records)
    assert answer_figures(records)["turns"] == 3
    assert set(cost_figures(records)) == {"first", "same", "out"}
    assert bytes_figures(records)["per_turn"] == [0, 0, 0]
    assert json.dumps([r.as_dict() for r in records])


def test_render_aligns_columns_and_lets_section_titles_run_on():
    rows = [("section:", "", "", "", "", ""), ("  p50", "1.0", "2.0", "3.0", "0.50x", "0.33x")]
    lines = render(rows).splitlines()
    assert lines[1] == "section:"
    assert len(lines[0]) == len(lines[2])


def test_process_probes_read_proc():
    assert is_alive(os.getpid())
    assert (peak_memory_mib(os.getpid()) or 0) > 0


def test_cpu_figures_divide_each_service_by_the_answered_turns():
    figures = cpu_figures({"orchestrator": 0.8, "order-management": 0.2}, wall_s=2.0, turns=10)
    assert figures["cpu_ms_per_turn"] == {"order-management": 20.0, "orchestrator": 80.0}
    assert figures["cpu_ms_per_turn_total"] == 100.0
    assert figures["orchestrator_cpu_share"] == pytest.approx(0.8)
    assert figures["cpu_share_of_one_core"] == {"order-management": 0.1, "orchestrator": 0.4}
    assert cpu_figures({"orchestrator": 0.1}, wall_s=1.0, turns=0)["cpu_ms_per_turn_total"] is None


def test_load_rows_show_cpu_per_turn_and_latency_against_the_single_conversation():
    level = {"turns_per_s": 9.0, "errors": 0, "p50_ms": 3000.0, "p95_ms": 6000.0, "concurrency": 100,
             "load_generator_cpu_ms_per_turn": 5.0, "machine_busy_cores": 1.5,
             "write_lock": {"probes": 40, "waited_share": 0.1, "p95_ms": 9.0, "max_ms": 120.0}}  # fmt: skip
    single = {**level, "p50_ms": 1500.0, "p95_ms": 2000.0, "concurrency": 1}
    cpu = cpu_figures({"orchestrator": 0.5, "pricing-promotions": 0.5}, wall_s=1.0, turns=10)
    load = {
        "token_delay_ms": 20.0,
        "turns_per_conversation": 1,
        "single": {**single, **cpu},
        "levels": [
            {
                **level,
                **cpu,
                "p50_over_single_p50": 2.0,
                "p95_over_single_p50": 4.0,
                "cpu_bound": cpu_bound({"orchestrator": 50.0}, 100, 1500.0, 2),
            }
        ],
        "peak_memory_mib": {"orchestrator": 100.0},
    }
    text = render(_load_rows(load, "offline model"))
    assert "p50 2.00x, p95 4.00x the single p50" in text
    assert "100.0 total, orchestrator 50.0 (50%); pricing-promotions 50.0; load generator 5.0" in text
    assert "mean turn >= 5,000 ms (3.33x the single p50), at most 20.0 turns/s" in text
    assert "the machine was busy 1.50 of 2 cores" in text
    assert "a writer waited in 10% of 40 probes; p95 9.0 ms, max 120 ms" in text


def test_the_cpu_bound_is_the_busier_of_the_orchestrator_core_and_all_cores():
    demand = {"orchestrator": 50.0, "order-management": 30.0, "load generator": 20.0}
    bound = cpu_bound(demand, concurrency=100, single_p50_ms=1000.0, cores=2)
    assert bound["bottleneck"] == "orchestrator core" and bound["machine_ms_per_turn"] == 50.0
    assert bound["latency_floor_ms"] == 5000.0 and bound["latency_floor_over_single_p50"] == 5.0
    assert bound["max_turns_per_s"] == 20.0
    few = cpu_bound({"orchestrator": 10.0, "product-discovery": 50.0}, concurrency=10, single_p50_ms=1000.0, cores=2)
    assert few["bottleneck"] == "all cores" and few["latency_floor_ms"] == 1000.0  # no floor below one turn alone
    assert machine_busy_seconds() > 0


def test_the_write_lock_probe_records_the_wait_behind_a_writer(tmp_path):
    database = tmp_path / "store.db"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    with write_lock_probe(database, interval_s=0.005) as waits:
        while not waits:
            time.sleep(0.005)
        holder.execute("BEGIN IMMEDIATE")
        taken = len(waits)
        time.sleep(0.2)  # the probe's next take has to wait for this writer
        holder.execute("ROLLBACK")
        while len(waits) <= taken + 1:
            time.sleep(0.005)
    holder.close()
    figures = lock_figures(waits)
    assert figures["probes"] == len(waits) and figures["waited_share"] > 0
    assert figures["max_ms"] > WAITED_MS
    assert lock_figures([])["waited_share"] is None


@pytest.mark.parametrize("binding", ["GRPC", "JSONRPC"])
def test_echo_hop_measures_the_a2a_sdk_floor(binding):
    """The bare echo service answers over the real SDK client on either binding; the figures are per hop."""
    figures = measure_echo_hop(count=5, binding=binding)
    assert (figures["binding"], figures["hops"]) == (binding, 5)
    assert figures["p50_ms"] > 0 and figures["client_cpu_ms"] >= 0 and figures["server_cpu_ms"] >= 0


def test_a_killed_child_not_yet_reaped_is_no_service():
    # The parent starts a child that exits at once and never reaps it: a zombie, with no command line.
    script = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', '']); time.sleep(30)"
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        system = RunningSystem("http://127.0.0.1:1", parent, [])
        deadline = time.monotonic() + 10
        while not _zombie_children(parent.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _zombie_children(parent.pid)
        assert system.children() == {}
    finally:
        parent.kill()
        parent.wait()


def _zombie_children(pid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "stat=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [stat for stat in out.stdout.split() if stat.startswith("Z")]
