"""Real specialist services on loopback, talked to with the a2a-sdk client as a peer would, on the offline model
or (`on_test_model_in_process`) the test model."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from a2a.client import A2ACardResolver, ClientCallContext, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, SendMessageRequest, TaskState
from google.protobuf.json_format import MessageToDict

from agents.handoff_extension import HANDOFF_EXTENSION_URI
from tests.support.backends import Backend
from tests.support.chat_double import Policy
from tests.support.system import Specialists, running_specialists, system_settings


@pytest.fixture
async def specialists(tmp_path, model_backend: Backend, test_model: Policy) -> AsyncIterator[Specialists]:
    settings = system_settings(tmp_path, **model_backend.overrides)
    async with running_specialists(settings, models=model_backend.run(test_model)) as running:
        yield running


class Peer:
    """An A2A peer of one specialist: sends messages with a service token, collects the reply."""

    def __init__(self, specialists: Specialists, name: str, http: httpx.AsyncClient, streaming: bool = True) -> None:
        self.specialists = specialists
        self.name = name
        self.http = http
        self.streaming = streaming

    async def card(self):  # type: ignore[no-untyped-def]
        return await A2ACardResolver(self.http, self.specialists.urls[self.name]).get_agent_card()

    async def send(
        self,
        text: str,
        *,
        customer: str | None = None,
        context_id: str = "",
        metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        card = await self.card()
        client = ClientFactory(ClientConfig(streaming=self.streaming, httpx_client=self.http)).create(card)
        message = Message(
            role=Role.ROLE_USER, message_id=uuid.uuid4().hex, context_id=context_id, parts=[Part(text=text)]
        )
        request = SendMessageRequest(message=message)
        if metadata:
            request.metadata.update(metadata)
        token = self.specialists.service_token(self.name, customer)
        call = ClientCallContext(
            service_parameters={"Authorization": f"Bearer {token}", "A2A-Extensions": HANDOFF_EXTENSION_URI}
        )
        events = [e async for e in client.send_message(request, context=call)]
        return summarize(events)


def summarize(events: list[Any]) -> dict[str, Any]:
    """Text, final state, context id, metadata and event kinds of a reply."""
    text, kinds, metadata, state, context_id = [], [], {}, None, ""
    for event in events:
        kind = event.WhichOneof("payload")
        kinds.append(kind)
        if kind == "artifact_update":
            text += [p.text for p in event.artifact_update.artifact.parts if p.text]
            context_id = event.artifact_update.context_id
        elif kind == "status_update":
            state = event.status_update.status.state
            metadata.update(MessageToDict(event.status_update.metadata))
            context_id = event.status_update.context_id
        elif kind == "task":
            state = event.task.status.state
            context_id = event.task.context_id
            for artifact in event.task.artifacts:
                text += [p.text for p in artifact.parts if p.text]
            metadata.update(MessageToDict(event.task.metadata))
    return {
        "text": "".join(text),
        "state": TaskState.Name(state) if state is not None else None,
        "context_id": context_id,
        "metadata": metadata,
        "kinds": kinds,
    }


@pytest.fixture
async def peer(specialists) -> AsyncIterator[Any]:
    async with httpx.AsyncClient(timeout=30) as http:
        yield lambda name, streaming=True: Peer(specialists, name, http, streaming)
