"""The storefront API over the real system (specialists on loopback), on the offline model or the OpenAI wire."""

from collections.abc import AsyncIterator

import pytest

from tests.support.backends import Backend
from tests.support.system import System, running_system, system_settings


@pytest.fixture
def settings(tmp_path, model_backend: Backend):
    return system_settings(tmp_path, **model_backend.overrides)


@pytest.fixture
async def system(settings) -> AsyncIterator[System]:
    async with running_system(settings) as running:
        yield running
