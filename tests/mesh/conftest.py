"""The whole mesh against real specialist services on loopback, on the offline model or the OpenAI wire."""

from collections.abc import AsyncIterator

import pytest

from agents.models import build_chat_client
from tests.support.backends import Backend
from tests.support.system import System, running_system, system_settings


@pytest.fixture
async def system(tmp_path, model_backend: Backend) -> AsyncIterator[System]:
    settings = system_settings(tmp_path, **model_backend.overrides)
    async with running_system(settings, orchestrator_model=build_chat_client(settings)) as running:
        yield running
