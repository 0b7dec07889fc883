"""Services as real processes of their own: started together, ready when a URL answers 200, always stopped."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.processes import stop


@dataclass(frozen=True)
class Service:
    """A command to run, the URL that answers 200 once it serves, and where its output goes (None: inherit)."""

    command: list[str]
    ready_url: str
    env: Mapping[str, str]
    log: Path | None = None
    cwd: Path | None = None


@asynccontextmanager
async def service_processes(
    *services: Service, timeout_s: float = 120, grace_s: float = 15
) -> AsyncIterator[list[subprocess.Popen[bytes]]]:
    """Start every service at once and wait until all are ready (failing with the log of one that exits).

    On exit each process still running gets SIGTERM and `grace_s` to stop (0: SIGKILL at once).
    """
    started: list[subprocess.Popen[bytes]] = []
    try:
        with ExitStack() as logs:
            for service in services:
                out = logs.enter_context(service.log.open("w")) if service.log else None
                started.append(
                    subprocess.Popen(
                        service.command,
                        env=dict(service.env),
                        cwd=service.cwd,
                        stdout=out,
                        stderr=out and subprocess.STDOUT,
                    )
                )
        await asyncio.gather(*(_ready(s, p, timeout_s) for s, p in zip(services, started, strict=True)))
        yield started
    finally:
        for process in started:
            stop(process, grace_s)


async def _ready(service: Service, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(timeout=5) as client:
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if (await client.get(service.ready_url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    log = service.log.read_text() if service.log else ""
    state = (
        f"exited with code {process.returncode}" if process.poll() is not None else f"not ready in {timeout_s:.0f} s"
    )
    raise AssertionError(f"{' '.join(service.command)} {state} ({service.ready_url})\n{log}")
