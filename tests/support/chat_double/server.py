"""The double's HTTP face: OpenAI and Azure OpenAI chat-completions routes on a loopback uvicorn server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.chat_double.errors import Violation
from tests.support.chat_double.policies import AGENT_HEADER, Policy, agent_of, answer, offered
from tests.support.chat_double.replies import Fault
from tests.support.chat_double.validation import validate
from tests.support.chat_double.wire import chunks, completion, sse
from tests.support.servers import serving

OPENAI = "openai"
AZURE = "azure"
NOT_JSON = (
    "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent "
    "was not valid JSON."
)
NO_KEY = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth."
AZURE_NO_KEY = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an "
    "active subscription and use a correct regional API endpoint for your resource."
)
AZURE_NO_VERSION = "The api-version query parameter (?api-version=) is required for all requests."
AZURE_NO_DEPLOYMENT = (
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 "
    "minutes, please wait a moment and try again."
)


@dataclass(frozen=True)
class Received:
    """One request the double received: its route (`openai` or `azure`), the agent that sent it, its body."""

    route: str
    agent: str
    body: Any
    deployment: str | None = None


@dataclass
class Injected:
    """A fault answered to the next `times` calls (of `agent` only, if given) instead of asking the policy."""

    fault: Fault
    times: int
    agent: str | None


@dataclass
class ChatDouble:
    """A strict Chat Completions server: validates like the real API, answers from `policy`."""

    policy: Policy
    deployments: frozenset[str] = frozenset({"gpt-4.1-mini"})
    base_url: str = ""
    requests: list[Received] = field(default_factory=list)
    violations: list[tuple[Received, Violation]] = field(default_factory=list)
    faulted: list[Received] = field(default_factory=list)  # requests answered with an injected fault
    _faults: list[Injected] = field(default_factory=list)

    @property
    def openai_url(self) -> str:
        """The `base_url` to give an OpenAI client (`<server>/v1`)."""
        return f"{self.base_url}/v1"

    def fail_next(self, fault: Fault, *, times: int = 1, agent: str | None = None) -> None:
        """Answer the next `times` model calls (of `agent`, if given) with `fault`."""
        self._faults.append(Injected(fault, times, agent))

    def clear_faults(self) -> None:
        """Drop the faults not answered yet."""
        self._faults.clear()

    def calls_of(self, agent: str) -> list[Received]:
        """The requests `agent` sent."""
        return [r for r in self.requests if r.agent == agent]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._openai, methods=["POST"]),
                Route("/openai/deployments/{deployment}/chat/completions", self._azure, methods=["POST"]),
            ]
        )

    async def _openai(self, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return _error(401, {"error": {"message": NO_KEY, "type": "invalid_request_error", "param": None,
                                          "code": None}})  # fmt: skip
        return await self._complete(request, OPENAI, None)

    async def _azure(self, request: Request) -> Response:
        deployment = request.path_params["deployment"]
        if not (request.headers.get("api-key") or request.headers.get("authorization", "").startswith("Bearer ")):
            return _error(401, {"error": {"code": "401", "message": AZURE_NO_KEY}})
        if not request.query_params.get("api-version"):
            return _error(404, {"error": {"code": "404", "message": AZURE_NO_VERSION}})
        if deployment not in self.deployments:
            return _error(404, {"error": {"code": "DeploymentNotFound", "message": AZURE_NO_DEPLOYMENT}})
        return await self._complete(request, AZURE, deployment)

    async def _complete(self, request: Request, route: str, deployment: str | None) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        messages = body.get("messages") if isinstance(body, dict) else None
        agent = agent_of(messages if isinstance(messages, list) else [], request.headers.get(AGENT_HEADER))
        received = Received(route, agent, body, deployment)
        self.requests.append(received)
        violation = (
            Violation("not_json", NOT_JSON) if body is None else validate(body, model_in_path=deployment is not None)
        )
        if violation is not None:
            self.violations.append((received, violation))
            return _error(violation.status, violation.body())
        if (fault := self._take_fault(agent)) is not None:
            self.faulted.append(received)
            return _error(fault.error.status, fault.error.body(), fault.headers)
        result = await answer(self.policy, agent, offered(body), body["messages"])
        if isinstance(result, Fault):
            return _error(result.error.status, result.error.body(), result.headers)
        model, result = deployment or body["model"], result.with_ids()
        if body.get("stream"):
            return StreamingResponse(_encoded(sse(chunks(body, model, result))), media_type="text/event-stream")
        return JSONResponse(completion(body, model, result))

    def _take_fault(self, agent: str) -> Fault | None:
        for injected in self._faults:
            if injected.agent in (None, agent):
                injected.times -= 1
                if injected.times <= 0:
                    self._faults.remove(injected)
                return injected.fault
        return None


def _error(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


async def _encoded(lines: Iterator[str]) -> AsyncIterator[bytes]:
    for line in lines:
        yield line.encode()


@asynccontextmanager
async def chat_double(policy: Policy | None = None, **options: Any) -> AsyncIterator[ChatDouble]:
    """Serve a `ChatDouble` on a free loopback port; `policy` defaults to the offline model's decisions."""
    if policy is None:
        from tests.support.chat_double.brain import OfflineBrain

        policy = OfflineBrain()
    double = ChatDouble(policy, **options)
    async with serving(double.app()) as url:
        double.base_url = url
        yield double
