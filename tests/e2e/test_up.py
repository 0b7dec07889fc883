"""`ecommerce-agents up` as a subprocess: six services come up, answer, survive a crash loop of one of them,
and all stop on SIGTERM."""

import os
import re
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
        "RESTART_DELAY_S": "0.05",
        "RESTART_MAX_DELAY_S": "0.4",
        "RESTART_RESET_AFTER_S": "600",
    }
    for name in SPECIALIST_NAMES:
        env[name.upper().replace("-", "_") + "_URL"] = f"http://127.0.0.1:{free_port()}"
        env[name.upper().replace("-", "_") + "_GRPC_URL"] = f"127.0.0.1:{free_port()}"
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


def service_pids(up_pid: int) -> dict[str, int]:
    """The pid of each running service of `up`, by name ("orchestrator" or the specialist's)."""
    pids = {}
    for pid in children_of(up_pid):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except FileNotFoundError:
            continue
        if alive(pid) and "serve" in argv:
            pids[argv[argv.index("serve") + 1] if "specialists" in argv else "orchestrator"] = pid
    return pids


def crash_reports(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if line.startswith(f"{name} exited")]


def replaced(up_pid: int, name: str, old_pid: int) -> int | None:
    """The pid of service `name` once it is another process than `old_pid`."""
    pid = service_pids(up_pid).get(name)
    return pid if pid not in (None, old_pid) else None


def wait_for(condition, lines: list[str], timeout_s: float = 30):  # type: ignore[no-untyped-def]
    """`condition()` once it is true; after `timeout_s`, fails showing `up`'s output."""
    deadline = time.monotonic() + timeout_s
    while not (result := condition()):
        assert time.monotonic() < deadline, "".join(lines)
        time.sleep(0.05)
    return result


def test_up_chat_survive_a_crash_loop_and_stop_with_nothing_left_behind(up):
    process, url = up
    lines = read_until(process, "ecommerce-agents is up", timeout_s=120)
    assert any("ecommerce-agents is up" in line for line in lines), "".join(lines)
    assert httpx.get(url + "/healthz", timeout=5).status_code == 200

    answer = httpx.post(url + "/api/chat", json={"message": "Is the TrailPeak 2 tent in stock?"}, timeout=60).json()
    assert answer["agent"] == "inventory-fulfillment"
    assert "WH-WEST" in answer["reply"]
    agents = httpx.get(url + "/api/agents", timeout=10).json()
    assert all(s["reachable"] for s in agents["specialists"])

    before = service_pids(process.pid)
    assert len(before) == 6, before
    pid = before["inventory-fulfillment"]
    for crash in range(1, 8):  # kill -9 seven times, each new process as soon as it exists
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda n=crash: len(crash_reports(lines, "inventory-fulfillment")) == n, lines)
        pid = wait_for(lambda old=pid: replaced(process.pid, "inventory-fulfillment", old), lines)

    reports = crash_reports(lines, "inventory-fulfillment")
    delays = [float(re.search(r"restarting in ([0-9.]+)s", line).group(1)) for line in reports]
    assert delays == [0.05, 0.1, 0.2, 0.4, 0.4, 0.4, 0.4], reports
    assert all("exited with code -9" in line for line in reports), reports
    others = {name: p for name, p in service_pids(process.pid).items() if name != "inventory-fulfillment"}
    assert others == {name: p for name, p in before.items() if name != "inventory-fulfillment"}, "nothing else moved"
    headphones = httpx.post(
        url + "/api/chat", json={"message": "Do you have noise-cancelling headphones under $200?"}, timeout=60
    )
    assert headphones.status_code == 200 and headphones.json()["agent"] == "product-discovery"

    deadline = time.monotonic() + 60
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
    assert [pid for pid in children if alive(pid)] == []
