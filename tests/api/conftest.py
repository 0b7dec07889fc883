"""The storefront API over the real system (specialists on loopback), on the offline or a test model, in-process
or on the OpenAI wire."""

from collections.abc import AsyncIterator

import pytest

from tests.support.backends import Backend
from tests.support.chat_double import Policy
from tests.support.system import System, running_system, system_settings


@pytest.fixture
def settings(tmp_path, model_backend: Backend):
    return system_settings(tmp_path, **model_backend.overrides)


@pytest.fixture
async def system(settings, model_backend: Backend, test_model: Policy) -> AsyncIterator[System]:
    async with running_system(settings, models=model_backend.run(test_model)) as running:
        yield running
