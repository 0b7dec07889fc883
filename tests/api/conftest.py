"""The storefront API over the real system (specialists on loopback, offline model)."""

from collections.abc import AsyncIterator

import pytest

from tests.support.system import System, running_system, system_settings


@pytest.fixture
def settings(tmp_path):
    return system_settings(tmp_path)


@pytest.fixture
async def system(settings) -> AsyncIterator[System]:
    async with running_system(settings) as running:
        yield running
