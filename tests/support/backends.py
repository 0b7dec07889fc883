"""Which model a system under test runs on: the offline model in-process, or OpenAI's wire against the double.

`both_backends` parametrizes a module's tests over `offline` and `openai` (through the `model_backend`
fixture of `tests/conftest.py`), `all_backends` adds `azure` (the Azure OpenAI deployment route of the
same double); a test that requests the fixture without either runs offline. `on_test_model`
runs the test's own model (the `test_model` fixture, a policy) instead of the offline model: in-process
as a MAF chat client per agent (`test-model`), and as the double's policy on OpenAI's wire
(`test-model-openai`); `on_test_model_in_process` and `on_test_model_wire` run one of the two;
`every_model` runs both, the offline model, and the offline model on Azure's route.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.chat_double import ChatDouble, Policy, chat_double
from tests.support.chat_double.policies import message_text
from tests.support.scripted import ScriptedChatClient, in_process_models
from tests.support.system import System

OFFLINE = "offline"
OPENAI = "openai"
AZURE = "azure"
TEST_MODEL = "test-model"
TEST_MODEL_OPENAI = "test-model-openai"
both_backends = pytest.mark.parametrize("model_backend", (OFFLINE, OPENAI), indirect=True)
all_backends = pytest.mark.parametrize("model_backend", (OFFLINE, OPENAI, AZURE), indirect=True)
openai_backend = pytest.mark.parametrize("model_backend", (OPENAI,), indirect=True)
on_test_model = pytest.mark.parametrize("model_backend", (TEST_MODEL, TEST_MODEL_OPENAI), indirect=True)
every_model = pytest.mark.parametrize("model_backend", (OFFLINE, AZURE, TEST_MODEL, TEST_MODEL_OPENAI), indirect=True)
on_test_model_in_process = pytest.mark.parametrize("model_backend", (TEST_MODEL,), indirect=True)
on_test_model_wire = pytest.mark.parametrize("model_backend", (TEST_MODEL_OPENAI,), indirect=True)
DEPLOYMENT = "support-gpt"
expects_violations = pytest.mark.expects_violations  # the double may answer this test's requests with 400s


@dataclass
class Backend:
    """The model a system runs on; `double` is the Chat Completions double behind `openai` and `azure`.

    `name` is the route the agents take (`offline`, `openai`, `azure`); with `test_model` set the agents
    run the test's model instead of the offline one, once `run` gave it.
    """

    name: str
    double: ChatDouble | None = None
    test_model: bool = False
    models: dict[str, ScriptedChatClient] = field(default_factory=dict)

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
        if self.models:
            return len(self.models[agent].calls)
        if agent != "orchestrator":
            raise ValueError("the offline backend counts the orchestrator's model calls only")
        return system.service.mesh.orchestrator.client.calls

    def last_prompt(self, agent: str) -> str:
        """The text of every message of `agent`'s latest model call (on a test-model or double backend)."""
        if self.double is not None:
            return "\n".join(message_text(m) for m in self.double.calls_of(agent)[-1].body["messages"])
        return "\n".join(m.text for m in self.models[agent].calls[-1]["messages"])

    def play(self, policy: Policy) -> None:
        """Have the double answer with `policy` from now on (not on the offline backend)."""
        if self.double is None:
            raise ValueError("the offline backend plays no policy")
        self.double.policy = policy

    def run(self, model: Policy) -> dict[str, ScriptedChatClient]:
        """Put the agents on `model` if this is a test-model backend: the in-process clients to start them with
        (none on the wire, where the double plays it). Other backends keep the offline model."""
        if not self.test_model:
            return {}
        if self.double is not None:
            self.play(model)
            return {}
        self.models = in_process_models(model)
        return self.models


@asynccontextmanager
async def model_backend(name: str) -> AsyncIterator[Backend]:
    """The backend `name`, with its double served on loopback for as long as it is in use."""
    if name in (OFFLINE, TEST_MODEL):
        yield Backend(OFFLINE, test_model=name == TEST_MODEL)
        return
    async with chat_double(deployments=frozenset({DEPLOYMENT})) as double:
        route = OPENAI if name == TEST_MODEL_OPENAI else name
        yield Backend(route, double, test_model=name == TEST_MODEL_OPENAI)


def unexpected_violations(backend: Backend) -> list[str]:
    """The double's violations, one line each (what the request broke, and which agent sent it)."""
    if backend.double is None:
        return []
    return [f"{received.agent}: {v.rule}: {v.message}" for received, v in backend.double.violations]
