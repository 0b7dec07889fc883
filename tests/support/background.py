"""The real system served from a background thread, for synchronous clients (schemathesis, scripts)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestrator.api import create_api
from tests.support.servers import serving
from tests.support.system import running_system, system_settings

START_TIMEOUT_S = 120.0


@contextmanager
def system_in_thread(workdir: Path) -> Iterator[str]:
    """Specialists and the orchestrator API on loopback, run by their own event loop; yields the API URL."""
    started = threading.Event()
    found: dict[str, object] = {}
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def run() -> None:
        settings = system_settings(workdir)
        async with running_system(settings) as system, serving(create_api(settings, system.service)) as url:
            found["url"] = url
            started.set()
            await stop.wait()

    def main() -> None:
        try:
            loop.run_until_complete(run())
        except BaseException as exc:
            found["error"] = exc
        finally:
            started.set()
            loop.close()

    thread = threading.Thread(target=main, name="system", daemon=True)
    thread.start()
    try:
        if not started.wait(START_TIMEOUT_S) or "url" not in found:
            raise RuntimeError(f"the system did not start: {found.get('error', 'timed out')!r}")
        yield str(found["url"])
    finally:
        if thread.is_alive() and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        thread.join(60)
