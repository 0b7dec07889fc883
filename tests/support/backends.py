"""Which model a system under test runs on: the offline model in-process, or OpenAI's wire against the double.

`both_backends` parametrizes a module's tests over `offline` and `openai` (through the `model_backend`
fixture of `tests/conftest.py`), `all_backends` adds `azure` (the Azure OpenAI deployment route of the
same double); a test that requests the fixture without either runs offline.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.chat_double import ChatDouble, Policy, chat_double
from tests.support.system import System

OFFLINE = "offline"
OPENAI = "openai"
AZURE = "azure"
both_backends = pytest.mark.parametrize("model_backend", (OFFLINE, OPENAI), indirect=True)
all_backends = pytest.mark.parametrize("model_backend", (OFFLINE, OPENAI, AZURE), indirect=True)
openai_backend = pytest.mark.parametrize("model_backend", (OPENAI,), indirect=True)
DEPLOYMENT = "support-gpt"
expects_violations = pytest.mark.expects_violations  # the double may answer this test's requests with 400s


@dataclass
class Backend:
    """The model a system runs on; `double` is the Chat Completions double behind `openai` and `azure`."""

    name: str
    double: ChatDouble | None = None

    @property
    def overrides(self) -> dict[str, Any]:
        """Settings overrides that put every agent of the system on this backend."""
        if self.double is None:
            return {}
        if self.name == AZURE:
            return {
                "model_provider": "azure",
                "azure_openai_endpoint": self.double.base_url,
                "azure_openai_deployment": DEPLOYMENT,
                "azure_openai_api_key": "azure-test-key",
            }
        return {"model_provider": "openai", "openai_base_url": self.double.openai_url, "openai_api_key": "sk-test"}

    def model_calls(self, system: System, agent: str) -> int:
        """How many model calls `agent` has made so far (the orchestrator only, on the offline backend)."""
        if self.double is not None:
            return len(self.double.calls_of(agent))
        if agent != "orchestrator":
            raise ValueError("the offline backend counts the orchestrator's model calls only")
        return system.service.mesh.orchestrator.client.calls

    def play(self, policy: Policy) -> None:
        """Have the double answer with `policy` from now on (not on the offline backend)."""
        if self.double is None:
            raise ValueError("the offline backend plays no policy")
        self.double.policy = policy


@asynccontextmanager
async def model_backend(name: str) -> AsyncIterator[Backend]:
    """The backend `name`, with its double served on loopback for as long as it is in use."""
    if name == OFFLINE:
        yield Backend(OFFLINE)
        return
    async with chat_double(deployments=frozenset({DEPLOYMENT})) as double:
        yield Backend(name, double)


def unexpected_violations(backend: Backend) -> list[str]:
    """The double's violations, one line each (what the request broke, and which agent sent it)."""
    if backend.double is None:
        return []
    return [f"{received.agent}: {v.rule}: {v.message}" for received, v in backend.double.violations]
