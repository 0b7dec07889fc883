"""`build_chat_client`: one client per provider, each a full MAF client, the remote ones checked on the wire."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from agent_framework import Agent, ChatMiddlewareLayer, FunctionInvocationLayer

from agents.models import OfflineChatClient, build_chat_client, close_chat_client
from agents.settings import Settings, SettingsError
from tests.models.fakes import check_stock

Handler = Callable[[httpx2.Request], httpx2.Response]


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def completion(message: dict[str, Any], finish_reason: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "served-model",
        "choices": [{"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25},
    }


TOOL_CALL = completion(
    {
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "check_stock", "arguments": '{"product": "OUT-300"}'},
            }
        ],
    },
    "tool_calls",
)
ANSWER = completion({"content": "OUT-300 is in stock: 42 units."}, "stop")


class Server:
    """A mock chat-completions server: answers a tool call, then text, and keeps every request."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []
        self.replies = [TOOL_CALL, ANSWER]

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(200, json=self.replies[len(self.requests) - 1])

    def client(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(transport=httpx2.MockTransport(self))

    def body(self, i: int) -> dict[str, Any]:
        return json.loads(self.requests[i].content)


async def run_stock_question(client: Any) -> str:
    agent = Agent(client=client, name="inventory", instructions="Answer stock questions.", tools=[check_stock])
    return (await agent.run("is OUT-300 in stock?")).text


@pytest.mark.parametrize(
    "values",
    [
        {"model_provider": "offline"},
        {"model_provider": "openai", "openai_api_key": "sk-test"},
        {
            "model_provider": "azure",
            "azure_openai_endpoint": "https://x.openai.azure.com",
            "azure_openai_api_key": "k",
            "azure_openai_deployment": "dep",
        },
    ],
)
def test_every_client_runs_tools_and_chat_middleware(values: dict[str, Any]) -> None:
    mro = type(build_chat_client(settings(**values))).__mro__
    assert FunctionInvocationLayer in mro and ChatMiddlewareLayer in mro


def test_offline_client_takes_the_token_delay() -> None:
    client = build_chat_client(settings(model_provider="offline", offline_token_delay_ms=7))
    assert isinstance(client, OfflineChatClient) and client.token_delay_ms == 7


async def test_openai_compatible_server_without_key() -> None:
    server = Server()
    config = settings(model_provider="openai", openai_base_url="http://llm.local/v1", openai_model="llama3.2")
    answer = await run_stock_question(build_chat_client(config, http_client=server.client()))

    assert answer == "OUT-300 is in stock: 42 units."
    first, second = server.body(0), server.body(1)
    assert str(server.requests[0].url) == "http://llm.local/v1/chat/completions"
    assert server.requests[0].headers["authorization"] == "Bearer unused"
    assert first["model"] == "llama3.2"
    assert [t["function"]["name"] for t in first["tools"]] == ["check_stock"]
    assert first["tools"][0]["function"]["parameters"]["required"] == ["product"]
    assert first["messages"] == [
        {"role": "system", "content": "Answer stock questions."},
        {"role": "user", "content": "is OUT-300 in stock?"},
    ]
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_1"
    assert "TrailPeak 2 Backpacking Tent" in tool_message["content"]


async def test_openai_with_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    server = Server()
    config = settings(model_provider="openai", openai_api_key="sk-test", openai_model="gpt-test")
    await run_stock_question(build_chat_client(config, http_client=server.client()))
    assert str(server.requests[0].url) == "https://api.openai.com/v1/chat/completions"
    assert server.requests[0].headers["authorization"] == "Bearer sk-test"
    assert server.body(0)["model"] == "gpt-test"


async def test_azure_deployment_with_key() -> None:
    server = Server()
    config = settings(
        model_provider="azure",
        azure_openai_endpoint="https://shop.openai.azure.com",
        azure_openai_api_key="azure-key",
        azure_openai_deployment="gpt4o-support",
        azure_openai_api_version="2024-10-21",
    )
    answer = await run_stock_question(build_chat_client(config, http_client=server.client()))

    assert answer == "OUT-300 is in stock: 42 units."
    url = server.requests[0].url
    assert (url.host, url.path) == ("shop.openai.azure.com", "/openai/deployments/gpt4o-support/chat/completions")
    assert url.params["api-version"] == "2024-10-21"
    assert server.requests[0].headers["api-key"] == "azure-key"
    assert server.body(0)["model"] == "gpt4o-support"
    assert [t["function"]["name"] for t in server.body(0)["tools"]] == ["check_stock"]
    assert server.body(1)["messages"][-1]["role"] == "tool"


def has_azure_identity() -> bool:
    try:
        importlib.import_module("azure.identity")
    except ImportError:
        return False
    return True


@pytest.mark.skipif(has_azure_identity(), reason="azure-identity is installed")
def test_azure_without_key_needs_azure_identity() -> None:
    config = settings(model_provider="azure", azure_openai_endpoint="https://x", azure_openai_deployment="dep")
    with pytest.raises(SettingsError, match=r"AZURE_OPENAI_API_KEY.*azure-identity"):
        build_chat_client(config)


@pytest.mark.parametrize(
    "values",
    [
        {"model_provider": "openai", "openai_api_key": "sk-test"},
        {
            "model_provider": "azure",
            "azure_openai_endpoint": "https://x",
            "azure_openai_deployment": "dep",
            "azure_openai_api_key": "k",
        },
    ],
)
async def test_closing_a_remote_client_closes_its_sdk_connections(values: dict[str, Any]) -> None:
    client = build_chat_client(settings(**values))
    sdk = client.client  # type: ignore[attr-defined]
    assert not sdk.is_closed()
    await close_chat_client(client)
    assert sdk.is_closed()
