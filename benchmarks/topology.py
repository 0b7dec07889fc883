"""A scaled-out system on loopback: orchestrator and specialist replicas as processes behind a real haproxy.

Every service has one public port on the balancer (the orchestrators' chat API, each specialist's
`<NAME>_URL`) and any number of replicas behind it. Each specialist has a second one for A2A's gRPC
binding (`<NAME>_GRPC_URL`), where haproxy speaks HTTP/2 on both sides and balances call by call.
Every process started here, haproxy included, is stopped on exit, whatever happens in between.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from agents.database import create_engine
from agents.definitions import SPECIALIST_NAMES
from benchmarks.processes import StartFailed, last_error, stop, url_variable, wait_healthy

ORCHESTRATORS = "orchestrators"


def grpc_service(specialist: str) -> str:
    """The balancer's name for `specialist`'s gRPC frontend and backend."""
    return f"{specialist}-grpc"


CHECK_INTERVAL_MS = 250


@asynccontextmanager
async def temporary_postgres_database(server_url: str) -> AsyncIterator[str]:
    """A new, empty database (unique name) on the PostgreSQL server of `server_url`; dropped afterwards.

    Raises `OSError`, `TimeoutError` or `DBAPIError` when the server can't be reached.
    """
    admin = create_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"test_{uuid.uuid4().hex[:16]}"
    try:
        async with asyncio.timeout(5), admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except BaseException:
        await admin.dispose()
        raise
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def haproxy_path() -> str | None:
    """The haproxy binary, if installed."""
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)


@dataclass
class Balancer:
    """haproxy as a subprocess: per service a frontend on its public port and a backend of its replicas."""

    workdir: Path
    public_ports: dict[str, int]
    replica_ports: dict[str, list[int]]
    process: subprocess.Popen[bytes] | None = None

    @property
    def socket_path(self) -> Path:
        return self.workdir / "haproxy.sock"

    def config(self) -> str:
        """haproxy.cfg: round robin, health checks every 250 ms, a refused connection redispatched at once."""
        lines = [
            "global",
            "    maxconn 4000",
            f"    stats socket {self.socket_path} mode 600 level admin",
            "defaults",
            "    mode http",
            "    balance roundrobin",
            "    timeout connect 1s",
            "    timeout client 120s",
            "    timeout server 120s",
            "    retries 3",
            "    option redispatch 1",
            "    timeout check 3s",  # a replica busy with a burst answers its check late, but it is up
            f"    default-server check inter {CHECK_INTERVAL_MS}ms fall 2 rise 1",
        ]
        for service, port in self.public_ports.items():
            grpc_of = next((name for name in SPECIALIST_NAMES if grpc_service(name) == service), None)
            h2 = " proto h2" if grpc_of else ""
            lines += [f"frontend {service}", f"    bind 127.0.0.1:{port}{h2}", f"    default_backend {service}"]
            lines += [f"backend {service}", "    option httpchk GET /healthz"]
            for i, p in enumerate(self.replica_ports.get(service, []), 1):
                # a gRPC replica is checked on its HTTP port, over HTTP/1.1
                check = f" check port {self.replica_ports[grpc_of][i - 1]} check-proto h1" if grpc_of else ""
                lines.append(f"    server r{i} 127.0.0.1:{p}{h2}{check}")
        return "\n".join(lines) + "\n"

    def start(self) -> None:
        binary = haproxy_path()
        if binary is None:
            raise StartFailed("haproxy is not installed")
        path = self.workdir / "haproxy.cfg"
        path.write_text(self.config())
        log = (self.workdir / "haproxy.log").open("wb")
        self.process = subprocess.Popen([binary, "-f", str(path), "-db"], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not self.socket_path.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise StartFailed(f"haproxy did not start: {last_error(self.workdir / 'haproxy.log')}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def stats(self) -> list[dict[str, str]]:
        """`show stat` from the stats socket, one dict per frontend, server and backend."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(self.socket_path))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return list(csv.DictReader(io.StringIO(data.decode().lstrip("# "))))

    def answered_by_replica(self, service: str) -> dict[str, int]:
        """Responses each replica of `service` gave through the balancer (by haproxy server name), on either
        A2A binding."""
        answered: dict[str, int] = {}
        for row in self.stats():
            if row["pxname"] in (service, grpc_service(service)) and row["svname"] not in ("FRONTEND", "BACKEND"):
                count = sum(int(row[f"hrsp_{c}xx"] or 0) for c in range(1, 6))
                answered[row["svname"]] = answered.get(row["svname"], 0) + count
        return answered

    def status(self, service: str) -> dict[str, str]:
        """Each replica's health as haproxy sees it (UP, DOWN, ...)."""
        return {
            row["svname"]: row["status"]
            for row in self.stats()
            if row["pxname"] == service and row["svname"] not in ("FRONTEND", "BACKEND")
        }


@dataclass
class Topology:
    """The running services: the balancer, the replica processes, and how to start or kill more."""

    workdir: Path
    env: dict[str, str]
    balancer: Balancer
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        """The orchestrators' chat API through the balancer."""
        return f"http://127.0.0.1:{self.balancer.public_ports[ORCHESTRATORS]}"

    def replica_url(self, service: str, index: int) -> str:
        """Replica `index` (from 1) of `service`, bypassing the balancer."""
        return f"http://127.0.0.1:{self.balancer.replica_ports[service][index - 1]}"

    def start(self, service: str, index: int) -> str:
        """Start replica `index` of `service` (a specialist name or `orchestrators`); returns its label."""
        port = str(self.balancer.replica_ports[service][index - 1])
        if service == ORCHESTRATORS:
            command = [sys.executable, "-m", "orchestrator", "serve", "--host", "127.0.0.1", "--port", port]
        else:
            grpc_port = str(self.balancer.replica_ports[grpc_service(service)][index - 1])
            command = [sys.executable, "-m", "specialists", "serve", service, "--host", "127.0.0.1", "--port", port]
            command += ["--grpc-port", grpc_port]
        label = f"{service}-{index}"
        with (self.workdir / f"{label}.log").open("wb") as log:
            self.processes[label] = subprocess.Popen(
                command, env=self.env, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT
            )
        return label

    def wait_healthy(self, *labels: str, timeout_s: float = 120.0) -> None:
        """Until each replica answers its health check directly."""
        urls = {label: self.replica_url(*_split(label)) for label in labels}
        try:
            wait_healthy(urls, {label: self.processes[label] for label in labels}, timeout_s)
        except StartFailed as exc:
            reason = f": {last_error(self.workdir / f'{exc.service}.log')}" if exc.service else ""
            raise StartFailed(f"{exc}{reason}", exc.service) from None

    def kill(self, label: str) -> None:
        """SIGKILL one replica, as a crash would."""
        process = self.processes[label]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self) -> None:
        for process in self.processes.values():
            stop(process)
        self.balancer.stop()


def _split(label: str) -> tuple[str, int]:
    service, index = label.rsplit("-", 1)
    return service, int(index)


def topology_env(database_url: str, public_ports: Mapping[str, int], token_delay_ms: float = 0.0) -> dict[str, str]:
    """The environment every process shares: the database, secrets, and each specialist's balancer URL."""
    secret = secrets.token_hex(32)
    env = {
        **os.environ,
        "MODEL_PROVIDER": "offline",
        "OFFLINE_TOKEN_DELAY_MS": str(token_delay_ms),
        "SERVICE_TOKEN_SECRET": secret,
        "STOREFRONT_TOKEN_SECRET": secret,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "warning",
    }
    for name in SPECIALIST_NAMES:
        env[url_variable(name)] = f"http://127.0.0.1:{public_ports[name]}"
        env[url_variable(name, "GRPC")] = f"127.0.0.1:{public_ports[grpc_service(name)]}"
    return env


@contextmanager
def scaled_out(
    workdir: Path,
    database_url: str,
    replicas: Mapping[str, int],
    free_port: Callable[[], int],
    token_delay_ms: float = 0.0,
    settings: Mapping[str, str] | None = None,
) -> Iterator[Topology]:
    """Migrate the database and start haproxy with `replicas` replica slots per service (none started yet).

    `settings` adds to (or overrides) the environment every process gets.
    """
    public_ports = {ORCHESTRATORS: free_port(), **{name: free_port() for name in SPECIALIST_NAMES}}
    public_ports |= {grpc_service(name): free_port() for name in SPECIALIST_NAMES}
    replica_ports = {service: [free_port() for _ in range(count)] for service, count in replicas.items()}
    for name in (n for n in SPECIALIST_NAMES if n in replicas):
        replica_ports[grpc_service(name)] = [free_port() for _ in replica_ports[name]]
    env = {**topology_env(database_url, public_ports, token_delay_ms), **(settings or {})}
    migrate = subprocess.run(
        [sys.executable, "-m", "specialists", "migrate"], env=env, cwd=workdir, capture_output=True, text=True
    )
    if migrate.returncode != 0:
        raise StartFailed(f"migrate failed: {migrate.stderr.strip()[-500:]}")
    topology = Topology(workdir, env, Balancer(workdir, public_ports, replica_ports))
    try:
        topology.balancer.start()
        yield topology
    finally:
        topology.stop()


def wait_until(condition: Callable[[], bool], timeout_s: float, interval_s: float = 0.2) -> bool:
    """Poll `condition` until it holds or `timeout_s` passes; whether it held."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except httpx.HTTPError:
            pass
        time.sleep(interval_s)
    return False
