"""An orchestrator on a store a test can break: a database of its own, or PostgreSQL behind a relay it can stop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.engine import make_url

from agents.settings import Settings
from orchestrator.api import create_api
from orchestrator.service import start_orchestrator
from tests.support.databases import migrated, postgres_database, postgres_server_url
from tests.support.relay import TcpRelay, tcp_relay
from tests.support.servers import serving
from tests.support.system import running_specialists


@asynccontextmanager
async def orchestrator_on(settings: Settings, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The orchestrator on its own store at `database_url`, behind its API on a real server."""
    own = settings.model_copy(update={"database_url": database_url})
    service = await start_orchestrator(own)
    try:
        async with serving(create_api(own, service)) as url, httpx.AsyncClient(base_url=url, timeout=60) as http:
            yield http
    finally:
        await service.close()


@asynccontextmanager
async def postgres_behind_relay() -> AsyncIterator[tuple[str, TcpRelay]]:
    """A new PostgreSQL database reached through a relay the test can close (the server going away)."""
    server = make_url(postgres_server_url())
    async with postgres_database() as database_url, tcp_relay(server.host or "127.0.0.1", server.port or 5432) as relay:
        await migrated(database_url)
        url = make_url(database_url).set(host="127.0.0.1", port=relay.port)
        yield url.render_as_string(hide_password=False), relay


@asynccontextmanager
async def system_on_relayed_postgres(
    settings: Settings, *, token_delay_ms: float | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, TcpRelay]]:
    """The specialists, and an orchestrator whose PostgreSQL database is behind a relay the test can stop.

    With `token_delay_ms` the orchestrator's model takes that long per token, so a test can cut the
    database mid-answer.
    """
    slowed = {} if token_delay_ms is None else {"offline_token_delay_ms": token_delay_ms}
    orchestrator = settings.model_copy(update=slowed)
    async with (
        postgres_behind_relay() as (url, relay),
        running_specialists(settings),
        orchestrator_on(orchestrator, url) as http,
    ):
        yield http, relay
