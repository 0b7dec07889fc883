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
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from agents.errors import EcommerceAgentsError
from agents.settings import Settings

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_POLL_S = 0.2


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the supervisor dies, so nothing is left behind."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass(frozen=True)
class Backoff:
    """Restart delays: `first_s`, doubling with each crash in a row up to `max_s`; a child that stayed up
    `reset_after_s` starts again from `first_s`."""

    first_s: float
    max_s: float
    reset_after_s: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Backoff:
        return cls(settings.restart_delay_s, settings.restart_max_delay_s, settings.restart_reset_after_s)

    def delay(self, crashes: int) -> float:
        """The wait before restarting after the `crashes`-th crash in a row (1, 2, ...)."""
        return min(self.max_s, self.first_s * 2.0 ** min(crashes - 1, 64))


@dataclass
class Child:
    """One supervised service process."""

    name: str
    command: list[str]
    health_url: str
    log_level: str = "WARNING"
    process: subprocess.Popen[bytes] | None = None
    crashes: int = 0  # in a row, each soon after its start
    started_at: float = 0.0
    restart_at: float | None = None  # set while a crashed child waits for its restart

    def start(self) -> None:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        # Own session: a terminal's Ctrl-C reaches only the supervisor, which stops each child once, gracefully.
        env = {**os.environ, "LOG_LEVEL": self.log_level}
        self.process = subprocess.Popen(self.command, preexec_fn=preexec, start_new_session=True, env=env)
        self.started_at, self.restart_at = time.monotonic(), None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tend(self, backoff: Backoff, now: float) -> str | None:
        """Schedule the restart of a child that just died (returns the line reporting it), and restart
        one whose delay has passed."""
        if self.alive():
            return None
        if self.restart_at is None:
            if now - self.started_at >= backoff.reset_after_s:
                self.crashes = 0
            self.crashes += 1
            delay = backoff.delay(self.crashes)
            self.restart_at = now + delay
            code = self.process.returncode if self.process else None
            return f"{self.name} exited with code {code}; restarting in {delay:.2f}s (crash {self.crashes} in a row)"
        if now >= self.restart_at:
            self.start()
        return None

    def terminate(self) -> None:
        if self.alive():
            self.process.terminate()  # type: ignore[union-attr]

    def reap(self, deadline: float) -> None:
        """Wait for a terminated child until `deadline`, then kill it."""
        if self.process is None:
            return
        try:
            self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def plan_children(settings: Settings) -> list[Child]:
    """The five specialists (ports from their URLs) and the orchestrator API, in start order."""
    python = sys.executable
    # Services log warnings and errors only, unless LOG_LEVEL asks for a level (INFO shows access logs).
    log_level = settings.log_level if "log_level" in settings.model_fields_set else "WARNING"
    children = []
    for name, url in settings.specialist_urls().items():
        port = urlsplit(url).port or 80
        children.append(
            Child(
                name,
                [python, "-m", "specialists", "serve", name, "--host", settings.specialist_host, "--port", str(port)],
                f"http://127.0.0.1:{port}/healthz",
                log_level,
            )
        )
    children.append(
        Child(
            "orchestrator",
            [python, "-m", "orchestrator", "serve", "--host", settings.api_host, "--port", str(settings.api_port)],
            f"http://127.0.0.1:{settings.api_port}/healthz",
            log_level,
        )
    )
    return children


def wait_healthy(children: list[Child], timeout_s: float, stopping: Callable[[], bool]) -> list[str]:
    """Poll health URLs until all answer 200 (or `stopping()`); returns the names still unhealthy."""
    deadline = time.monotonic() + timeout_s
    pending = {c.name: c for c in children}
    while pending and time.monotonic() < deadline and not stopping():
        for name, child in list(pending.items()):
            if not child.alive():
                raise StartupFailed(
                    f"{name} exited during start-up (code {child.process and child.process.returncode})"
                )
            try:
                if httpx.get(child.health_url, timeout=1.0).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    return sorted(pending)


class Supervisor:
    """Starts the services, waits for health, restarts a crashed child with backoff for as long as it keeps
    crashing (the others run on), and stops everything on SIGINT/SIGTERM."""

    def __init__(self, settings: Settings, start_timeout_s: float = 60.0) -> None:
        self.children = plan_children(settings)
        self._backoff = Backoff.from_settings(settings)
        self._timeout = start_timeout_s
        self._stopping = False

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        try:
            seed = subprocess.run([sys.executable, "-m", "specialists", "migrate"], check=False)
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
                for child in self.children:
                    report = child.tend(self._backoff, time.monotonic())
                    if report:
                        print(report, flush=True)
                time.sleep(_POLL_S)
            return 0
        except _Stop:
            return 0
        except StartupFailed as exc:
            print(f"start-up failed: {exc}", file=sys.stderr)
            return 1
        finally:
            self.stop()

    def stop(self, grace_s: float = 10.0) -> None:
        """Terminate every child at once, then wait for each (killing what outlives `grace_s`)."""
        self._stopping = True
        for child in self.children:
            child.terminate()
        deadline = time.monotonic() + grace_s
        for child in self.children:
            child.reap(deadline)

    def _on_signal(self, signum: int, _frame: object) -> None:
        """The first signal asks to stop; the loops notice it within a poll."""
        if not self._stopping:
            self._stopping = True
            print(f"\nstopping all services ({signal.Signals(signum).name})", flush=True)

    def _require_healthy(self, children: list[Child]) -> None:
        late = wait_healthy(children, self._timeout, lambda: self._stopping)
        if self._stopping:
            raise _Stop
        if late:
            raise StartupFailed(f"not healthy after {self._timeout:.0f}s: {', '.join(late)}")

    def _print_ready(self) -> None:
        print("\necommerce-agents is up:", flush=True)
        for child in self.children:
            pid = child.process.pid if child.process else "-"
            print(f"  {child.name:<22} {child.health_url.removesuffix('/healthz')}  (pid {pid})")
        print("\nTry:  ecommerce-agents chat     or see README.md for curl examples. Ctrl-C stops everything.\n")
        sys.stdout.flush()


class StartupFailed(EcommerceAgentsError):
    """A service exited or stayed unhealthy while the system was starting."""


class _Stop(Exception):
    """Start-up was interrupted by a stop signal."""
