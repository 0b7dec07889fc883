"""Readiness: can this service's store take a write right now?"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine

from agents.database import SQLITE_BUSY_TIMEOUT_S, STORE_ERRORS

PROBE_TIMEOUT_S = 2.0
RETRY_AFTER_S = 2  # what a 503 for store trouble tells clients to wait, in seconds


async def store_problem(engine: AsyncEngine, timeout_s: float = PROBE_TIMEOUT_S) -> str | None:
    """None when the store accepts a write now; otherwise why it doesn't.

    The probe creates a table inside a transaction it rolls back, so it needs the write access a turn
    needs (read-only file, `query_only`, read-only transaction, server down) and leaves nothing behind.
    """
    try:
        async with asyncio.timeout(timeout_s):
            await _probe_write(engine, timeout_s)
    except TimeoutError:
        return f"the store did not take a write within {timeout_s:g}s"
    except STORE_ERRORS as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}"
    return None


async def _probe_write(engine: AsyncEngine, timeout_s: float) -> None:
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        try:
            if sqlite:  # wait for a busy writer no longer than the probe may take; the driver won't BEGIN for DDL
                await conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
                await conn.exec_driver_sql("BEGIN")
            await conn.exec_driver_sql("CREATE TABLE readiness_probe (probe INTEGER)")
        finally:
            await conn.rollback()
            if sqlite:
                await conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
