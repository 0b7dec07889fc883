"""Fixtures shared by every test package: the model backend a system under test runs on."""

from collections.abc import AsyncIterator

import pytest

from tests.support.asks import shopper_model
from tests.support.backends import OFFLINE, Backend, unexpected_violations
from tests.support.backends import model_backend as serving_backend
from tests.support.chat_double import Policy


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "expects_violations: the Chat Completions double may reject requests")


@pytest.fixture
async def model_backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    """`offline`, or `openai` against a strict Chat Completions double (which must see no violation)."""
    async with serving_backend(getattr(request, "param", OFFLINE)) as backend:
        yield backend
        if backend.double is not None:
            assert {r.route for r in backend.double.requests} <= {backend.name}, "every call went the backend's way"
        if request.node.get_closest_marker("expects_violations") is None:
            violations = unexpected_violations(backend)
            assert not violations, "the double rejected requests:\n" + "\n".join(violations)


@pytest.fixture
def test_model() -> Policy:
    """The model a `test-model` backend runs: the test model playing the shared shopper asks (override it)."""
    return shopper_model()
