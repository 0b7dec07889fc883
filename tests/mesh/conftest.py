"""The whole mesh against real specialist services on loopback, on the offline or a test model, in-process or on
the OpenAI wire."""

from collections.abc import AsyncIterator

import pytest

from agents.models import build_chat_client
from tests.support.backends import Backend
from tests.support.chat_double import Policy
from tests.support.system import System, running_system, system_settings


@pytest.fixture
async def system(tmp_path, model_backend: Backend, test_model: Policy) -> AsyncIterator[System]:
    settings = system_settings(tmp_path, **model_backend.overrides)
    models = model_backend.run(test_model)
    orchestrator = models.get("orchestrator") or build_chat_client(settings)
    async with running_system(settings, orchestrator_model=orchestrator, models=models) as running:
        yield running
