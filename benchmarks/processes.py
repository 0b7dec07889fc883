"""Real services as subprocesses on loopback: the five specialists, or the whole system (`up`).

Every process started here is stopped on exit (SIGTERM, then SIGKILL), whatever happens in between.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from agents.definitions import SPECIALIST_NAMES

START_TIMEOUT_S = 90.0
START_ATTEMPTS = 3
STOP_GRACE_S = 15.0


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def url_variable(name: str, binding: str = "") -> str:
    """The setting that holds specialist `name`'s URL ("order-management" -> "ORDER_MANAGEMENT_URL"), or its
    gRPC binding's with `binding="GRPC"` ("ORDER_MANAGEMENT_GRPC_URL")."""
    return "_".join([name.upper().replace("-", "_"), *([binding] if binding else []), "URL"])


def system_env(workdir: Path, token_delay_ms: float) -> dict[str, str]:
    """Environment of a system under test: offline model, its own SQLite store and secrets, free ports."""
    secret = secrets.token_hex(32)
    env = {
        **os.environ,
        "MODEL_PROVIDER": "offline",
        "SERVICE_TOKEN_SECRET": secret,
        "STOREFRONT_TOKEN_SECRET": secret,
        "OFFLINE_TOKEN_DELAY_MS": str(token_delay_ms),
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/store.db",
        "API_PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
    }
    for name in SPECIALIST_NAMES:
        env[url_variable(name)] = f"http://127.0.0.1:{free_port()}"
        env[url_variable(name, "GRPC")] = f"127.0.0.1:{free_port()}"
    return env


class StartFailed(RuntimeError):
    """A service exited or stayed unhealthy during start-up; `service` names the one that exited."""

    def __init__(self, message: str, service: str | None = None) -> None:
        super().__init__(message)
        self.service = service


def wait_healthy(urls: Mapping[str, str], processes: Mapping[str, subprocess.Popen[bytes]], timeout_s: float) -> None:
    """Poll each `<url>/healthz` until all answer 200; fail fast when a process exits."""
    pending = dict(urls)
    deadline = time.monotonic() + timeout_s
    while pending:
        if time.monotonic() > deadline:
            raise StartFailed(f"not healthy after {timeout_s:.0f}s: {', '.join(sorted(pending))}")
        if dead := [name for name, p in processes.items() if p.poll() is not None]:
            raise StartFailed(f"{dead[0]} exited during start-up (code {processes[dead[0]].returncode})", dead[0])
        for name, url in list(pending.items()):
            try:
                if httpx.get(url + "/healthz", timeout=1.0).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes], grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM, up to `grace_s` to exit, then SIGKILL (at once with `grace_s` 0)."""
    if process.poll() is not None:
        return
    if grace_s > 0:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace_s)
            return
        except subprocess.TimeoutExpired:
            pass
    process.kill()
    process.wait(10)


def last_error(log: Path) -> str:
    """The last line of a service log that is not an INFO line (why it failed)."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    problems = [line for line in lines if not line.startswith("INFO")]
    return (problems or lines or ["(empty log)"])[-1].strip()


@dataclass
class Services:
    """Running services: where they answer, their process ids, and every failed start-up before they came up."""

    urls: dict[str, str]
    start_failures: list[str] = field(default_factory=list)
    pids: dict[str, int] = field(default_factory=dict)


def _start(command: list[str], env: Mapping[str, str], workdir: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)


@contextmanager
def running_specialists(env: Mapping[str, str], workdir: Path) -> Iterator[Services]:
    """Migrate and seed the store, then serve the five specialists (`python -m specialists serve`); yields their URLs.

    A start-up that fails is recorded and retried (at most `START_ATTEMPTS` times).
    """
    subprocess.run(
        [sys.executable, "-m", "specialists", "migrate"], env=env, cwd=workdir, check=True, capture_output=True
    )
    services = Services({name: env[url_variable(name)] for name in SPECIALIST_NAMES})
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for _attempt in range(START_ATTEMPTS):
            for name, url in services.urls.items():
                port = url.rsplit(":", 1)[1]
                command = [sys.executable, "-m", "specialists", "serve", name, "--host", "127.0.0.1", "--port", port]
                processes[name] = _start(command, env, workdir, workdir / f"{name}.log")
            try:
                wait_healthy(services.urls, processes, START_TIMEOUT_S)
                services.pids = {name: process.pid for name, process in processes.items()}
                break
            except StartFailed as exc:
                reason = f": {last_error(workdir / f'{exc.service}.log')}" if exc.service else ""
                services.start_failures.append(f"{exc}{reason}")
                for process in processes.values():
                    stop(process)
        else:
            raise StartFailed("; ".join(services.start_failures))
        yield services
    finally:
        for process in processes.values():
            stop(process)


@dataclass
class RunningSystem:
    """`ecommerce-agents up` as a subprocess: its chat API URL, its process, its failed start-ups."""

    api_url: str
    process: subprocess.Popen[bytes]
    start_failures: list[str] = field(default_factory=list)

    def children(self) -> dict[str, int]:
        """The supervised services by name ("orchestrator", "order-management", ...) and their pids."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        found = {}
        for pid in map(int, out.stdout.split()):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            words = [w.decode() for w in command if w]
            if not words:
                continue  # a zombie (a killed child not yet reaped) has no command line
            name = next((w for w in words if w in SPECIALIST_NAMES), None)
            found[name or ("orchestrator" if "orchestrator" in words else words[-1])] = pid
        return found


def _stop_up(system: RunningSystem) -> None:
    """SIGTERM `up` (it stops its children), then kill any child it left behind."""
    children = system.children()
    stop(system.process)
    for pid in children.values():
        if is_alive(pid):
            os.kill(pid, signal.SIGKILL)


@contextmanager
def running_up(env: Mapping[str, str], workdir: Path) -> Iterator[RunningSystem]:
    """Run `python -m orchestrator.cli up` until its API is healthy; SIGTERM it on exit, leaving no child.

    A start-up that fails is recorded and retried (at most `START_ATTEMPTS` times).
    """
    failures: list[str] = []
    log = workdir / "up.log"
    for _attempt in range(START_ATTEMPTS):
        process = _start([sys.executable, "-m", "orchestrator.cli", "up"], env, workdir, log)
        system = RunningSystem(f"http://127.0.0.1:{env['API_PORT']}", process, failures)
        try:
            try:
                wait_healthy({"orchestrator": system.api_url}, {"up": process}, START_TIMEOUT_S)
            except StartFailed as exc:
                failures.append(f"{exc}: {last_error(log)}")
                continue
            yield system
            return
        finally:
            _stop_up(system)
    raise StartFailed("; ".join(failures))


def is_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time a running process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mib(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a running process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
