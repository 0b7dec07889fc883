"""The floor of an A2A hop: a bare a2a-sdk echo service behind the same SDK, server and client as a specialist.

The echo's executor answers every message with the events a specialist's answer has (the task, working,
one text artifact, completed), with no session, no token check and no model. Its service runs as
uvicorn does for a specialist, and `measure_echo_hop` calls it as the orchestrator's proxy does (one
pooled httpx client, a streaming a2a-sdk client, one message after another). What a specialist's hop
costs beyond this is ours; this much is the SDK's, the HTTP server's and the loopback's.

`python -m benchmarks.echo_hop serve PORT` serves it; `python -m benchmarks.echo_hop` measures it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any

import httpx
import uvicorn
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import add_a2a_routes_to_fastapi, create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    Part,
    Role,
    SendMessageRequest,
    TaskState,
)
from a2a.types import Message as A2AMessage
from fastapi import FastAPI

from agents.definitions import ORCHESTRATOR
from agents.logs import uvicorn_options
from agents.settings import Settings
from benchmarks.measure import TurnRecord
from benchmarks.processes import cpu_seconds, free_port, stop, wait_healthy
from benchmarks.stats import mean, percentile

RPC_PATH = "/a2a"
WARM_UP = 20


class EchoExecutor(AgentExecutor):
    """Answers each message with its own text, as one artifact of a completed task."""

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        """Task, working, the echoed text, completed."""
        assert context.message is not None
        task = context.current_task or new_task_from_user_message(context.message)
        if context.current_task is None:
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        await updater.start_work()
        await updater.add_artifact([Part(text=context.get_user_input())], name="answer", last_chunk=True)
        await updater.update_status(TaskState.TASK_STATE_COMPLETED)

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        """Nothing runs long enough to cancel."""


def echo_app(base_url: str) -> FastAPI:
    """The echo service: its card and JSON-RPC endpoint, mounted as a specialist's are."""
    card = AgentCard(
        name="echo",
        description="Echoes each message (the floor of an A2A hop).",
        version="1.0.0",
        supported_interfaces=[
            AgentInterface(url=base_url.rstrip("/") + RPC_PATH, protocol_binding="JSONRPC", protocol_version="1.0")
        ],
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[AgentSkill(id="echo", name="Echo", description="Says the message back.", tags=["benchmark"])],
    )
    handler = DefaultRequestHandler(agent_executor=EchoExecutor(), task_store=InMemoryTaskStore(), agent_card=card)
    app = FastAPI(title="echo (A2A floor)")
    add_a2a_routes_to_fastapi(
        app,
        agent_card_routes=create_agent_card_routes(card),
        jsonrpc_routes=create_jsonrpc_routes(handler, rpc_url=RPC_PATH),
    )

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(port: int) -> None:
    """Run the echo service on 127.0.0.1:`port` with the specialists' uvicorn options."""
    options = {**uvicorn_options(Settings()), "log_level": "warning"}
    uvicorn.run(echo_app(f"http://127.0.0.1:{port}"), host="127.0.0.1", port=port, **options)


async def _hops(url: str, count: int) -> tuple[list[float], float]:
    """Wall ms of `count` hops after a warm-up, and this process's CPU seconds over them."""
    async with httpx.AsyncClient(timeout=30) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        client = ClientFactory(ClientConfig(streaming=True, httpx_client=http)).create(card)
        context_id = ""

        async def hop() -> None:
            nonlocal context_id
            message = A2AMessage(
                role=Role.ROLE_USER, message_id=uuid.uuid4().hex, context_id=context_id, parts=[Part(text="hello")]
            )
            async for event in client.send_message(SendMessageRequest(message=message)):
                kind = event.WhichOneof("payload")
                context_id = getattr(event, kind).context_id or context_id

        for _ in range(WARM_UP):
            await hop()
        walls = []
        cpu_before = time.process_time()
        for _ in range(count):
            start = time.perf_counter()
            await hop()
            walls.append((time.perf_counter() - start) * 1000)
        return walls, time.process_time() - cpu_before


def measure_echo_hop(count: int = 200) -> dict[str, Any]:
    """Start the echo service, make `count` hops to it one after another; p50 and CPU per hop (ms)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.echo_hop", "serve", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy({"echo": url}, {"echo": server}, 60.0)
        server_before = cpu_seconds(server.pid) or 0.0
        walls, client_cpu = asyncio.run(_hops(url, count))
        server_cpu = (cpu_seconds(server.pid) or 0.0) - server_before
    finally:
        stop(server)
    return {
        "hops": count,
        "p50_ms": round(percentile(walls, 50), 2),
        "p95_ms": round(percentile(walls, 95), 2),
        # the server's CPU over the measured hops includes the warm-up's tail; with 200 hops it is noise
        "client_cpu_ms": round(client_cpu / count * 1000, 2),
        "server_cpu_ms": round(server_cpu / count * 1000, 2),
    }


def echo_floor(echo: dict[str, Any], records: Sequence[TurnRecord], added_p50_ms: float | None) -> dict[str, Any]:
    """The echo hop beside the mesh's: A2A calls per turn (specialists on the route), the floor per turn
    (echo p50 times those calls) and what the mesh's hop adds over that floor."""
    calls = mean([sum(1 for agent in r.result.route if agent != ORCHESTRATOR.name) for r in records])
    floor = None if calls is None else round(echo["p50_ms"] * calls, 2)
    over = None if floor is None or added_p50_ms is None else round(added_p50_ms - floor, 2)
    return {**echo, "a2a_calls_per_turn": calls, "floor_per_turn_ms": floor, "added_over_floor_ms": over}


def main(argv: list[str]) -> int:
    """`serve PORT`, or measure and print."""
    if argv[:1] == ["serve"]:
        serve(int(argv[1]))
        return 0
    print(measure_echo_hop(int(argv[0]) if argv else 200))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
