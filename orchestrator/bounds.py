"""Per-turn bounds of the mesh: a handoff budget, and the floor after a specialist failed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from agent_framework import (
    ChatContext,
    ChatMiddleware,
    ChatResponse,
    ChatResponseUpdate,
    FunctionInvocationContext,
    FunctionMiddleware,
    FunctionTool,
    MiddlewareTermination,
    ResponseStream,
)

from orchestrator.turn_context import current_turn

HANDOFF_PREFIX = "handoff_to_"
LIMIT_MESSAGE = (
    "I wasn't able to get this to the right specialist just now. "
    "Could you rephrase your question, or ask about one thing at a time?"
)


class HandoffBudget(FunctionMiddleware):
    """Refuses `handoff_to_*` calls once the turn has used its budget of handoffs.

    On an LLM agent (`terminate=False`) the model receives the refusal as the tool result and answers
    the shopper itself, keeping every tool call paired with a result; a model that insists is stopped.
    On a proxy (`terminate=True`) the refusal ends the proxy's turn at once, without another call to
    the remote specialist.
    """

    def __init__(self, *, terminate: bool) -> None:
        self._terminate = terminate

    async def process(self, context: FunctionInvocationContext, call_next: Callable[[], Awaitable[None]]) -> None:
        turn = current_turn()
        if turn is None or not context.function.name.startswith(HANDOFF_PREFIX):
            await call_next()
            return
        if turn.handoffs >= turn.max_handoffs:
            turn.refused_handoffs.append(context.function.name)
            context.result = FunctionTool.parse_result({"error": "handoff_limit", "message": LIMIT_MESSAGE})
            if self._terminate or len(turn.refused_handoffs) > 1:
                raise MiddlewareTermination(result=context.result)
            return
        turn.handoffs += 1
        await call_next()


class FloorAfterFailure(ChatMiddleware):
    """When a specialist failed this turn and handed back, the orchestrator takes the floor silently.

    The shopper already has the apology; calling the model now would only route the same ask to the
    same unreachable specialist. The next shopper message reaches the orchestrator, which routes afresh.
    """

    async def process(self, context: ChatContext, call_next: Callable[[], Awaitable[None]]) -> None:
        turn = current_turn()
        if turn is None or not turn.failed_specialists:
            await call_next()
            return
        if context.stream:
            context.result = ResponseStream(_finished(), finalizer=ChatResponse.from_updates)
        else:
            context.result = ChatResponse(messages=[], finish_reason="stop")


async def _finished() -> AsyncIterator[ChatResponseUpdate]:
    yield ChatResponseUpdate(role="assistant", contents=[], finish_reason="stop")
