"""The floor of an A2A hop: a bare a2a-sdk echo service behind the same SDK, server and client as a specialist.

The echo's executor answers every message with the events a specialist's answer has (the task, working,
one text artifact, completed), with no session, no token check and no model. Its service runs as
uvicorn does for a specialist, with A2A's gRPC binding beside it, and `measure_echo_hop` calls it as
the orchestrator's proxy does (one pooled httpx client or one gRPC channel, a streaming a2a-sdk client,
one message after another), over gRPC unless `A2A_GRPC=false`, as the orchestrator does. What a
specialist's hop costs beyond this is ours; this much is the SDK's, the server's and the loopback's.

`python -m benchmarks.echo_hop serve PORT GRPC_PORT` serves it; `python -m benchmarks.echo_hop` measures it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import grpc.aio
import httpx
import uvicorn
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.request_handlers.grpc_handler import GrpcHandler
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
    a2a_pb2_grpc,
)
from a2a.types import Message as A2AMessage
from a2a.utils.constants import TransportProtocol
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


def echo_app(base_url: str, grpc_address: str) -> FastAPI:
    """The echo service: its card and JSON-RPC endpoint, mounted as a specialist's are, and its gRPC binding
    at `grpc_address` while it runs."""
    card = AgentCard(
        name="echo",
        description="Echoes each message (the floor of an A2A hop).",
        version="1.0.0",
        supported_interfaces=[
            AgentInterface(url=base_url.rstrip("/") + RPC_PATH, protocol_binding="JSONRPC", protocol_version="1.0"),
            AgentInterface(url=grpc_address, protocol_binding="GRPC", protocol_version="1.0"),
        ],
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[AgentSkill(id="echo", name="Echo", description="Says the message back.", tags=["benchmark"])],
    )
    handler = DefaultRequestHandler(agent_executor=EchoExecutor(), task_store=InMemoryTaskStore(), agent_card=card)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        server = grpc.aio.server()
        a2a_pb2_grpc.add_A2AServiceServicer_to_server(GrpcHandler(handler), server)
        server.add_insecure_port(grpc_address)
        await server.start()
        try:
            yield
        finally:
            await server.stop(None)

    app = FastAPI(title="echo (A2A floor)", lifespan=lifespan)
    add_a2a_routes_to_fastapi(
        app,
        agent_card_routes=create_agent_card_routes(card),
        jsonrpc_routes=create_jsonrpc_routes(handler, rpc_url=RPC_PATH),
    )

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(port: int, grpc_port: int) -> None:
    """Run the echo service on 127.0.0.1:`port` (and gRPC on `grpc_port`) with the specialists' uvicorn options."""
    options = {**uvicorn_options(Settings()), "log_level": "warning"}
    app = echo_app(f"http://127.0.0.1:{port}", f"127.0.0.1:{grpc_port}")
    uvicorn.run(app, host="127.0.0.1", port=port, **options)


async def _hops(url: str, count: int, binding: str) -> tuple[list[float], float]:
    """Wall ms of `count` hops over `binding` after a warm-up, and this process's CPU seconds over them."""
    channels: list[grpc.aio.Channel] = []

    def channel(target: str) -> grpc.aio.Channel:
        channels.append(grpc.aio.insecure_channel(target))
        return channels[-1]

    async with httpx.AsyncClient(timeout=30) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        config = ClientConfig(
            streaming=True, httpx_client=http, supported_protocol_bindings=[binding], grpc_channel_factory=channel
        )
        client = ClientFactory(config).create(card)
        try:
            return await _timed(client, count)
        finally:
            for opened in channels:
                await opened.close()


async def _timed(client: Client, count: int) -> tuple[list[float], float]:
    """`count` hops to `client` one after another, after `WARM_UP`: their wall ms and this process's CPU s."""
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


def measure_echo_hop(count: int = 200, binding: str | None = None) -> dict[str, Any]:
    """Start the echo service, make `count` hops to it one after another over `binding` (by default the one
    the orchestrator uses: GRPC, or JSONRPC with `A2A_GRPC=false`); p50 and CPU per hop (ms)."""
    binding = binding or (TransportProtocol.GRPC if Settings().a2a_grpc else TransportProtocol.JSONRPC)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.echo_hop", "serve", str(port), str(free_port())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy({"echo": url}, {"echo": server}, 60.0)
        server_before = cpu_seconds(server.pid) or 0.0
        walls, client_cpu = asyncio.run(_hops(url, count, binding))
        server_cpu = (cpu_seconds(server.pid) or 0.0) - server_before
    finally:
        stop(server)
    return {
        "binding": binding,
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
    """`serve PORT GRPC_PORT`, or measure and print (`[HOPS [BINDING]]`)."""
    if argv[:1] == ["serve"]:
        serve(int(argv[1]), int(argv[2]))
        return 0
    print(measure_echo_hop(int(argv[0]) if argv else 200, argv[1] if len(argv) > 1 else None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
