"""SQLite write transactions run whole on the file's writer thread, so the file's write lock is never held
while the event loop is busy elsewhere (plans/0015)."""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
import time

import pytest
from sqlalchemy.exc import IntegrityError

from agents.database import create_engine, sqlite_writer

WAIT_S = 10.0  # a bound for the writer thread, never a measured figure


def _count(path: str) -> int:
    with sqlite3.connect(path, timeout=WAIT_S) as probe:
        return probe.execute("SELECT count(*) FROM t").fetchone()[0]


async def test_a_write_commits_and_frees_the_lock_while_the_event_loop_is_blocked(tmp_path):
    path = str(tmp_path / "store.db")
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    writer = sqlite_writer(engine)
    assert writer is not None and sqlite_writer(engine) is writer

    def two_rows(conn) -> str:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        return "written"

    task = asyncio.create_task(writer.run(two_rows))
    await asyncio.sleep(0)  # the transaction is handed to the writer thread
    deadline = time.monotonic() + WAIT_S
    while _count(path) < 2 and time.monotonic() < deadline:  # the loop stays blocked meanwhile
        time.sleep(0.01)
    assert _count(path) == 2, "committed without the event loop's help"
    with sqlite3.connect(path, timeout=0) as probe:
        probe.execute("BEGIN IMMEDIATE")  # the write lock is free: no 'database is locked'
        probe.rollback()
    assert await task == "written"
    await engine.dispose()
    assert sqlite_writer(engine) is not writer, "disposing the engine closed its writer"
    await engine.dispose()


async def test_the_work_sees_the_callers_context_and_its_errors_reach_the_caller(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/store.db")
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    writer = sqlite_writer(engine)
    assert writer is not None
    who = contextvars.ContextVar("who", default="nobody")
    who.set("this turn")
    assert await writer.run(lambda conn: who.get()) == "this turn"

    def twice(conn) -> None:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")

    with pytest.raises(IntegrityError):
        await writer.run(twice)
    assert _count(str(tmp_path / "store.db")) == 0, "the failed transaction was rolled back"
    assert sqlite_writer(create_engine("sqlite+aiosqlite:///:memory:")) is None
    await engine.dispose()
