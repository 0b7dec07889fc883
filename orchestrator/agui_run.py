"""A turn's events as one AG-UI run: the protocol's own event types, in the protocol's order.

Each speaking agent gets a step (`STEP_STARTED`/`STEP_FINISHED`, named for the agent) and its text a
message (`TEXT_MESSAGE_START` with the agent as the message's `name`, `..._CONTENT`, `..._END`); a
handoff is a `CUSTOM` event named `handoff` with its source and target; the run ends with
`RUN_FINISHED` (the chat API's answer as `result`, token usage as `usage`) or `RUN_ERROR`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from ag_ui.core import (
    BaseEvent,
    CustomEvent,
    RunErrorEvent,
    RunFinishedEvent,
    RunStartedEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
    TokenUsage,
)

from orchestrator.turns import ChatEvent

HANDOFF_EVENT = "handoff"


class AguiRun:
    """Translates the events of one turn into the AG-UI events of one run."""

    def __init__(self, thread_id: str, run_id: str) -> None:
        self.thread_id = thread_id
        self.run_id = run_id
        self._step: str | None = None
        self._message_id: str | None = None
        self._speaker: str | None = None

    async def events(self, turn_events: AsyncIterator[ChatEvent]) -> AsyncIterator[BaseEvent]:
        """The run's events, from `RUN_STARTED` to `RUN_FINISHED` or `RUN_ERROR`."""
        yield RunStartedEvent(thread_id=self.thread_id, run_id=self.run_id)
        async for event in turn_events:
            for out in self.translate(event):
                yield out

    def translate(self, event: ChatEvent) -> list[BaseEvent]:
        """The AG-UI events of one turn event."""
        data = event.data
        if event.kind == "agent":
            return self._enter_step(data["agent"])
        if event.kind == "delta":
            opened, message_id = self._open_message(data["agent"])
            return [*opened, TextMessageContentEvent(message_id=message_id, delta=data["text"])]
        if event.kind == "handoff":
            value = {"source": data["source"], "target": data["target"]}
            return [*self._close_message(), CustomEvent(name=HANDOFF_EVENT, value=value)]
        if event.kind == "done":
            return [*self._close_step(), self._finished(data)]
        if event.kind == "error":
            return [*self._close_step(), RunErrorEvent(message=data["message"], code="turn_failed")]
        return []

    def _enter_step(self, agent: str) -> list[BaseEvent]:
        if self._step == agent:
            return []
        out = self._close_step()
        self._step = agent
        out.append(StepStartedEvent(step_name=agent))
        return out

    def _close_step(self) -> list[BaseEvent]:
        out = self._close_message()
        if self._step is not None:
            out.append(StepFinishedEvent(step_name=self._step))
            self._step = None
        return out

    def _open_message(self, agent: str) -> tuple[list[BaseEvent], str]:
        """The events that make `agent`'s message the open one, and that message's id."""
        if self._speaker == agent and self._message_id is not None:
            return [], self._message_id
        out = self._close_message()
        message_id = uuid.uuid4().hex
        self._message_id, self._speaker = message_id, agent
        out.append(TextMessageStartEvent(message_id=message_id, role="assistant", name=agent))
        return out, message_id

    def _close_message(self) -> list[BaseEvent]:
        if self._message_id is None:
            return []
        end = TextMessageEndEvent(message_id=self._message_id)
        self._message_id = self._speaker = None
        return [end]

    def _finished(self, answer: dict[str, Any]) -> RunFinishedEvent:
        usage = answer["usage"]
        tokens = TokenUsage(
            input_tokens=usage["input_tokens"],
            output_tokens=usage["output_tokens"],
            total_tokens=usage["input_tokens"] + usage["output_tokens"],
        )
        return RunFinishedEvent(thread_id=self.thread_id, run_id=self.run_id, result=answer, usage=[tokens])
