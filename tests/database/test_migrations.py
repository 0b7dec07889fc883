"""Alembic migrations: the revisions build exactly the code's tables, concurrently, and services insist on them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.database import create_engine
from agents.migrations import current_revision, head_revision, migrate
from orchestrator.tables import conversations
from orchestrator.tables import metadata as orchestrator_tables
from specialists.host.sessions import agent_sessions
from specialists.store.schema import Base, Customer
from specialists.store.seed import load_seed_data
from tests.support.databases import store_database
from tests.support.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["sqlite", "postgresql"]


def code_metadata() -> MetaData:
    """Every table the code uses, the store's, the agent sessions' and the orchestrator's, in one MetaData."""
    combined = MetaData()
    for metadata in (Base.metadata, agent_sessions.metadata, orchestrator_tables):
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


async def schema_differences(engine: AsyncEngine) -> list[object]:
    def compare(connection: object) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), code_metadata())

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


def run(command: list[str], url: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "warning"}
    return subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, **kwargs)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_migrated_schema_is_the_codes_schema(backend, tmp_path):
    async with store_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            assert await migrate(engine) == (None, head_revision())
            assert await schema_differences(engine) == []
            assert await migrate(engine) == (head_revision(), head_revision()), "a second run changes nothing"
        finally:
            await engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_processes_migrating_at_once_build_the_schema_and_load_the_seed_once(backend, tmp_path):
    async with store_database(backend, tmp_path) as url:
        command = [sys.executable, "-m", "orchestrator.cli", "migrate"]
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "warning"}
        processes = [
            await asyncio.create_subprocess_exec(
                *command, env=env, cwd=REPO_ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
            )
            for _ in range(4)
        ]
        outputs = await asyncio.gather(*(p.communicate() for p in processes))
        assert [p.returncode for p in processes] == [0, 0, 0, 0], [err.decode()[-800:] for _, err in outputs]
        said = sorted(out.decode().split(";")[0] for out, _ in outputs)
        head = head_revision()
        assert said == [f"schema already at {head}"] * 3 + [f"schema migrated from empty to {head}"]
        engine = create_engine(url)
        try:
            assert await current_revision(engine) == head_revision()
            async with engine.connect() as conn:
                customers = await conn.scalar(select(func.count()).select_from(Customer))
            assert customers == len(load_seed_data()["customers"])
        finally:
            await engine.dispose()


async def test_a_database_made_before_migrations_is_taken_as_the_baseline_and_keeps_its_data(tmp_path):
    async with store_database("sqlite", tmp_path) as url:
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(code_metadata().create_all)
                await conn.execute(
                    conversations.insert().values(id="old", created_at=func.now(), updated_at=func.now(), turns=3)
                )
            assert await current_revision(engine) is None
            assert await migrate(engine) == ("0001_baseline", head_revision())
            async with engine.connect() as conn:
                assert await conn.scalar(select(conversations.c.turns).where(conversations.c.id == "old")) == 3
        finally:
            await engine.dispose()


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "specialists", "serve", "review-sentiment", "--port", "{port}"],
        ["-m", "orchestrator", "serve", "--port", "{port}"],
    ],
    ids=["specialist", "orchestrator"],
)
def test_a_service_that_finds_the_schema_behind_says_so_in_one_line_and_exits(tmp_path, command):
    url = f"sqlite+aiosqlite:///{tmp_path}/store.db"
    port = str(free_port())
    result = run([sys.executable, *(part.format(port=port) for part in command)], url)
    assert result.returncode == 3, result.stderr[-800:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ecommerce-agents migrate" in lines[0], result.stderr[-800:]
    assert run([sys.executable, "-m", "orchestrator.cli", "migrate"], url).returncode == 0
