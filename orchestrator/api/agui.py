"""`POST /ag-ui`: the chat as an AG-UI agent, for CopilotKit and any other AG-UI client.

One run answers the newest user message of the run's input; the rest of the input's history is the
client's copy, the conversation itself is kept here. The AG-UI thread is the conversation: a thread id
not seen before starts one, so runs share ownership, lease and durability with `/api/chat` (a
conversation started on either goes on on the other). The shopper's token comes from the
Authorization header. Refusals before a run starts (bad token, someone else's thread, a busy thread,
a bad message) are JSON errors as on `/api/chat`; a failure during the run is `RUN_ERROR`.
"""

from collections.abc import AsyncGenerator, AsyncIterator

from ag_ui.core import Message, RunAgentInput, RunErrorEvent, TextPart, UserMessage
from ag_ui.encoder import EventEncoder
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import Field
from sse_starlette import EventSourceResponse

from orchestrator.agui_run import AguiRun
from orchestrator.api.chat import checked_message, open_turn, require_json
from orchestrator.api.dependencies import AppSettings, Service, Shopper
from orchestrator.api.errors import documented, unexpected_failure
from orchestrator.api.models import StorableText
from orchestrator.api.text import STORABLE_PATTERN
from orchestrator.turns import ChatEvent

MAX_THREAD_ID = 64  # a conversation id's length

router = APIRouter(tags=["ag-ui"])


class RunInput(RunAgentInput):
    """An AG-UI run's input; its thread id names the conversation, so it is stored as one."""

    thread_id: StorableText = Field(
        min_length=1, max_length=MAX_THREAD_ID, json_schema_extra={"pattern": STORABLE_PATTERN}
    )


@router.post(
    "/ag-ui",
    summary="Run the agents on the thread's newest user message (AG-UI events as server-sent events)",
    response_class=EventSourceResponse,
    responses={
        **documented(400, 401, 404, 409, 415, 422, 503),
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
    },
    dependencies=[Depends(require_json)],
)
async def run(
    body: RunInput, request: Request, customer_id: Shopper, service: Service, settings: AppSettings
) -> EventSourceResponse:
    text = checked_message(newest_user_text(body.messages), settings.max_message_chars)
    turn = await open_turn(service, body.thread_id, customer_id, text, start_if_missing=True)
    agui = AguiRun(body.thread_id, body.run_id)
    encoder = EventEncoder(accept=request.headers.get("accept", ""))
    return EventSourceResponse(_encoded(agui, turn.events(), encoder), ping=15)


def newest_user_text(messages: list[Message]) -> str:
    """The text of the newest user message (its text parts, for a multimodal one); 422 without one."""
    for message in reversed(messages):
        if isinstance(message, UserMessage):
            if isinstance(message.content, str):
                return message.content
            return "\n".join(part.text for part in message.content if isinstance(part, TextPart))
    raise HTTPException(422, detail="the run's messages hold no user message")


async def _encoded(
    agui: AguiRun, events: AsyncGenerator[ChatEvent, None], encoder: EventEncoder
) -> AsyncIterator[bytes]:
    """The run's events as SSE; a failure of any kind ends the run with `RUN_ERROR`."""
    try:
        async for event in agui.events(events):
            yield encoder.encode(event).encode()
    except Exception as exc:
        failure = unexpected_failure(exc)
        yield encoder.encode(RunErrorEvent(message=failure.message, code=failure.error)).encode()
    finally:
        await events.aclose()
