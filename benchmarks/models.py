"""The models the benchmarks run on: the offline model, and the tests' strict Chat Completions double.

The double stays with the tests that own it (`tests/support/chat_double/`); the benchmarks start it as a
process (`python -m tests.support.chat_double`) and reach it over HTTP only, as the services do through
`MODEL_PROVIDER=openai`, so nothing here imports test code (plans/0014). It plays the policy `route`:
every scripted ask goes to the agent the conversation set expects, and the offline model, through the
wire, picks the tools and writes the answers. Its token counts come from the requests and replies as
they cross the wire, so the model calls and tokens measured on it are what a provider would bill.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from agent_framework import BaseChatClient

from agents.models import build_chat_client, close_chat_client
from agents.settings import Settings
from benchmarks.conversations import CONVERSATIONS, LONG_CONVERSATION
from benchmarks.processes import StartFailed, free_port, last_error, stop, wait_healthy

REPO_ROOT = Path(__file__).resolve().parent.parent
DOUBLE_MODULE = "tests.support.chat_double"
STATS_PATH = "/double/stats"
START_TIMEOUT_S = 60.0
OFFLINE_TITLE = "offline model"
DOUBLE_TITLE = "chat double, policy route"


def routes() -> dict[str, str]:
    """Every scripted shopper message and the agent that should answer it."""
    table: dict[str, str] = {}
    for conversation in (*CONVERSATIONS, LONG_CONVERSATION):
        for turn in conversation.turns:
            if table.setdefault(turn.text, turn.expect) != turn.expect:
                raise ValueError(f"{turn.text!r} is expected of {table[turn.text]} and of {turn.expect}")
    return table


@dataclass(frozen=True)
class RunningDouble:
    """The double's process and where it answers."""

    url: str

    @property
    def env(self) -> dict[str, str]:
        """What puts a service on the double (the OpenAI provider at the double's base URL)."""
        return {"MODEL_PROVIDER": "openai", "OPENAI_BASE_URL": f"{self.url}/v1", "OPENAI_API_KEY": "sk-benchmark"}

    def stats(self) -> dict[str, Any]:
        """Requests seen per agent and every request rejected so far."""
        return httpx.get(self.url + STATS_PATH, timeout=10).json()


@contextmanager
def running_double(workdir: Path) -> Iterator[RunningDouble]:
    """Serve the double with the `route` policy over the scripted conversations; stop it on exit."""
    table = workdir / "routes.json"
    table.write_text(json.dumps(routes()))
    port = free_port()
    log = workdir / "chat-double.log"
    command = [sys.executable, "-m", DOUBLE_MODULE, "--port", str(port), "--routes", str(table)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=out, stderr=out)
    try:
        double = RunningDouble(f"http://127.0.0.1:{port}")
        try:
            wait_healthy({"chat double": double.url}, {"chat double": process}, START_TIMEOUT_S)
        except StartFailed as exc:
            raise StartFailed(f"{exc}: {last_error(log)}") from None
        yield double
    finally:
        stop(process)


@asynccontextmanager
async def chat_clients(settings: Settings) -> AsyncIterator[Callable[[], BaseChatClient]]:
    """Makes chat clients for `settings`' model; on exit closes the SDK client of each one it made."""
    made: list[BaseChatClient] = []

    def make() -> BaseChatClient:
        made.append(build_chat_client(settings))
        return made[-1]

    try:
        yield make
    finally:
        for client in made:
            await close_chat_client(client)
