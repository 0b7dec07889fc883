"""`ecommerce-agents up` as a subprocess: six services come up, answer, and all stop on SIGTERM."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from agents.definitions import SPECIALIST_NAMES
from tests.support.servers import free_port


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.fixture
def up(tmp_path):
    api_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/store.db",
        "API_PORT": str(api_port),
        "LOG_LEVEL": "WARNING",
    }
    for name in SPECIALIST_NAMES:
        env[name.upper().replace("-", "_") + "_URL"] = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestrator.cli", "up"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{api_port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def read_until(process: subprocess.Popen, marker: str, timeout_s: float) -> list[str]:
    """Lines of the process's output up to the one containing `marker` (in a thread, with a deadline)."""
    lines: list[str] = []
    found = threading.Event()

    def pump() -> None:
        for line in process.stdout:
            lines.append(line)
            if marker in line:
                found.set()
        found.set()

    threading.Thread(target=pump, daemon=True).start()
    found.wait(timeout_s)
    return lines


def test_up_chat_restart_a_dead_child_and_stop_with_nothing_left_behind(up):
    process, url = up
    lines = read_until(process, "ecommerce-agents is up", timeout_s=120)
    assert any("ecommerce-agents is up" in line for line in lines), "".join(lines)
    assert httpx.get(url + "/healthz", timeout=5).status_code == 200

    answer = httpx.post(url + "/api/chat", json={"message": "Is the TrailPeak 2 tent in stock?"}, timeout=60).json()
    assert answer["agent"] == "inventory-fulfillment"
    assert "WH-WEST" in answer["reply"]
    agents = httpx.get(url + "/api/agents", timeout=10).json()
    assert all(s["reachable"] for s in agents["specialists"])

    children = children_of(process.pid)
    assert len(children) == 6
    inventory = next(pid for pid in children if b"inventory-fulfillment" in Path(f"/proc/{pid}/cmdline").read_bytes())
    os.kill(inventory, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while not any("inventory-fulfillment exited" in line and "restarting" in line for line in lines):
        assert time.monotonic() < deadline, "".join(lines)
        time.sleep(0.2)
    answer = {"reply": ""}
    while "WH-WEST" not in answer["reply"] and time.monotonic() < deadline:
        time.sleep(0.5)
        answer = httpx.post(url + "/api/chat", json={"message": "Is OUT-300 in stock?"}, timeout=60).json()
    assert "WH-WEST" in answer["reply"], "the restarted specialist answers again"

    children = children_of(process.pid)
    assert len(children) == 6
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    time.sleep(0.2)
    assert any("stopping all services" in line for line in lines)
    time.sleep(0.5)
    assert [pid for pid in children if alive(pid)] == []
