"""`ecommerce-agents up`: the five specialists and the orchestrator as separate processes, supervised."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from agents.settings import Settings

logger = logging.getLogger(__name__)

MAX_RESTARTS = 5
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the supervisor dies, so nothing is left behind."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    """One supervised service process."""

    name: str
    command: list[str]
    health_url: str
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    def start(self) -> None:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        # Own session: a terminal's Ctrl-C reaches only the supervisor, which stops each child once, gracefully.
        # Services log warnings and errors only, unless LOG_LEVEL asks for more (access logs included).
        env = {**os.environ, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING")}
        self.process = subprocess.Popen(self.command, preexec_fn=preexec, start_new_session=True, env=env)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace_s: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(grace_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def plan_children(settings: Settings) -> list[Child]:
    """The five specialists (ports from their URLs) and the orchestrator API, in start order."""
    python = sys.executable
    children = []
    for name, url in settings.specialist_urls().items():
        port = urlsplit(url).port or 80
        children.append(
            Child(
                name,
                [python, "-m", "specialists", "serve", name, "--host", settings.specialist_host, "--port", str(port)],
                f"http://127.0.0.1:{port}/healthz",
            )
        )
    children.append(
        Child(
            "orchestrator",
            [python, "-m", "orchestrator", "serve", "--host", settings.api_host, "--port", str(settings.api_port)],
            f"http://127.0.0.1:{settings.api_port}/healthz",
        )
    )
    return children


def wait_healthy(children: list[Child], timeout_s: float) -> list[str]:
    """Poll health URLs until all answer 200; returns the names still unhealthy at the deadline."""
    deadline = time.monotonic() + timeout_s
    pending = {c.name: c for c in children}
    while pending and time.monotonic() < deadline:
        for name, child in list(pending.items()):
            if not child.alive():
                raise RuntimeError(f"{name} exited during start-up (code {child.process and child.process.returncode})")
            try:
                if httpx.get(child.health_url, timeout=1.0).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    return sorted(pending)


class Supervisor:
    """Starts the services, waits for health, restarts a dead child, stops everything on a signal."""

    def __init__(self, settings: Settings, start_timeout_s: float = 60.0) -> None:
        self.children = plan_children(settings)
        self._timeout = start_timeout_s
        self._stopping = False

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            seed = subprocess.run([sys.executable, "-m", "specialists", "seed"], check=False)
            if seed.returncode != 0:
                print("could not prepare the store; see the error above", file=sys.stderr)
                return 1
            specialists, orchestrator = self.children[:-1], self.children[-1]
            for child in specialists:
                child.start()
            self._require_healthy(specialists)
            orchestrator.start()
            self._require_healthy([orchestrator])
            self._print_ready()
            while not self._stopping:
                self._restart_dead()
                time.sleep(0.5)
            return 0
        except _Stop:
            return 0
        except RuntimeError as exc:
            print(f"start-up failed: {exc}", file=sys.stderr)
            return 1
        finally:
            self.stop()

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()

    def _on_signal(self, signum: int, _frame: object) -> None:
        if not self._stopping:
            self._stopping = True
            print(f"\nstopping all services ({signal.Signals(signum).name})", flush=True)
        raise _Stop

    def _require_healthy(self, children: list[Child]) -> None:
        late = wait_healthy(children, self._timeout)
        if late:
            raise RuntimeError(f"not healthy after {self._timeout:.0f}s: {', '.join(late)}")

    def _restart_dead(self) -> None:
        for child in self.children:
            if child.alive():
                continue
            code = child.process.returncode if child.process else None
            if child.restarts >= MAX_RESTARTS:
                raise RuntimeError(f"{child.name} keeps dying (exit code {code}); giving up")
            child.restarts += 1
            print(f"{child.name} exited with code {code}; restarting ({child.restarts}/{MAX_RESTARTS})", flush=True)
            child.start()

    def _print_ready(self) -> None:
        print("\necommerce-agents is up:", flush=True)
        for child in self.children:
            print(f"  {child.name:<22} {child.health_url.removesuffix('/healthz')}  (pid {child.process.pid})")
        print("\nTry:  ecommerce-agents chat     or see README.md for curl examples. Ctrl-C stops everything.\n")
        sys.stdout.flush()


class _Stop(Exception):
    """Raised from the signal handler to leave the supervision loop."""
