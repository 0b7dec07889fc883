"""`python -m benchmarks.hostile`: a hostile mix of requests against `up`, counted by outcome.

Starts `ecommerce-agents up` (offline model, its own SQLite store, free ports) and fires N requests
at concurrency C: new conversations, follow-ups, two messages posted at once to one conversation,
streamed turns, transcript reads, and bad input (malformed JSON, invalid Unicode, NUL, blank and
over-long messages, the wrong content type, unknown conversations, forged tokens). Prints the count
per status, the responses of 500 or more, dropped connections and SSE streams cut without `done` or
`error`; exits 1 when any of those three is not 0.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from benchmarks.processes import running_up, system_env

REQUEST_TIMEOUT_S = 180.0
PROGRESS_EVERY = 100  # requests between progress lines on stderr
ASKS = (
    "Is the TrailPeak 2 tent in stock?",
    "Do you have noise-cancelling headphones under $200?",
    "What do people say about the AeroBrew?",
    "Is the coupon TRAIL20 valid for the tent?",
    "Where is my order ORD-1001?",
)
FOLLOW_UPS = ("Can it ship to eu-central?", "Tell me more", "What about the price?", "thanks!")
BAD_BODIES: tuple[tuple[bytes, str], ...] = (
    (b'{"message": "hi"', "application/json"),
    (rb'{"message": "hi \ud800 there"}', "application/json"),
    (rb'{"message": "hi \u0000 there"}', "application/json"),
    (b'{"message": "   "}', "application/json"),
    (b'{"message": 42}', "application/json"),
    (b"[]", "application/json"),
    (b'{"message": "caf\xe9"}', "application/json"),
    (b'{"message": "hi"}', "text/plain"),
    (b"message=hi", "application/x-www-form-urlencoded"),
)


@dataclass
class Tally:
    """What the requests got: a count per status, dropped connections, SSE streams cut short."""

    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[tuple[int, str]] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    cut_streams: int = 0

    def count(self, response: httpx.Response) -> None:
        """Count `response` by status, and an error answer also by its `error` code."""
        self.statuses[response.status_code] += 1
        if response.status_code >= 400:
            try:
                code = response.json().get("error", "?")
            except ValueError:
                code = "(not JSON)"
            self.errors[response.status_code, str(code)] += 1

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.dropped.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        """One line: the counts so far."""
        counts = " ".join(f"{status}={n}" for status, n in sorted(self.statuses.items()))
        return f"{self.requests} done: {counts} dropped={sum(self.dropped.values())} cut={self.cut_streams}"

    def report(self) -> str:
        lines = [f"status {status}: {n}" for status, n in sorted(self.statuses.items())]
        lines += [f"  {status} {code}: {n}" for (status, code), n in sorted(self.errors.items())]
        lines += [f"dropped ({kind}): {n}" for kind, n in sorted(self.dropped.items())]
        lines += [
            f"responses >= 500: {self.server_errors}",
            f"dropped connections: {sum(self.dropped.values())}",
            f"SSE streams cut without done or error: {self.cut_streams}",
        ]
        return "\n".join(lines)


class Hostile:
    """The request mix, sharing the conversations it has started."""

    def __init__(self, client: httpx.AsyncClient, codec: TokenCodec, tally: Tally, seed: int) -> None:
        self.client = client
        self.tally = tally
        self.random = random.Random(seed)
        self.conversations: list[str] = []
        self.customer = {"authorization": "Bearer " + codec.mint(STOREFRONT_AUDIENCE, "CUST-001", 3600)}

    async def _post(self, body: dict | bytes, headers: dict[str, str] | None = None) -> httpx.Response | None:
        try:
            if isinstance(body, bytes):
                response = await self.client.post("/api/chat", content=body, headers=headers)
            else:
                response = await self.client.post("/api/chat", json=body, headers=headers)
        except httpx.HTTPError as exc:
            self.tally.dropped[type(exc).__name__] += 1
            return None
        self.tally.count(response)
        return response

    async def new_conversation(self) -> int:
        headers = self.customer if self.random.random() < 0.3 else None
        response = await self._post({"message": self.random.choice(ASKS)}, headers)
        if response is not None and response.status_code == 200:
            self.conversations.append(response.json()["conversation_id"])
        return 1

    async def follow_up(self) -> int:
        if not self.conversations:
            return await self.new_conversation()
        body = {"message": self.random.choice(FOLLOW_UPS), "conversation_id": self.random.choice(self.conversations)}
        await self._post(body)
        return 1

    async def double_post(self) -> int:
        """Two messages to one conversation at once: one is answered, the other is told it's busy (409)."""
        if not self.conversations:
            return await self.new_conversation()
        conversation = self.random.choice(self.conversations)
        bodies = [{"message": text, "conversation_id": conversation} for text in self.random.sample(FOLLOW_UPS, 2)]
        await asyncio.gather(*(self._post(body) for body in bodies))
        return 2

    async def bad_body(self) -> int:
        content, content_type = self.random.choice(BAD_BODIES)
        await self._post(content, {"content-type": content_type})
        return 1

    async def bad_identity(self) -> int:
        """A forged token, or someone else's conversation, or one that doesn't exist."""
        choice = self.random.randrange(3)
        if choice == 0:
            await self._post({"message": "my orders"}, {"authorization": "Bearer not-a-token"})
        elif choice == 1 and self.conversations:
            body = {"message": "hi", "conversation_id": self.random.choice(self.conversations)}
            await self._post(body, self.customer)
        else:
            await self._post({"message": "hi", "conversation_id": "no-such-conversation"})
        return 1

    async def streamed(self) -> int:
        body = {"message": self.random.choice(ASKS)}
        try:
            async with self.client.stream(
                "POST", "/api/chat", json=body, headers={"accept": "text/event-stream"}
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                self.tally.count(response)
                last = ""
                async for line in response.aiter_lines():
                    if line.startswith("event:"):
                        last = line.removeprefix("event:").strip()
                if response.status_code == 200 and last not in ("done", "error"):
                    self.tally.cut_streams += 1
        except httpx.HTTPError as exc:
            self.tally.dropped[type(exc).__name__] += 1
        return 1

    async def transcript(self) -> int:
        conversation = self.random.choice(self.conversations) if self.conversations else "none"
        try:
            response = await self.client.get(f"/api/conversations/{conversation}")
        except httpx.HTTPError as exc:
            self.tally.dropped[type(exc).__name__] += 1
            return 1
        self.tally.count(response)
        return 1

    def kinds(self) -> list[Callable[[], Awaitable[int]]]:
        """The mix, by weight."""
        return [
            *[self.new_conversation] * 3,
            *[self.follow_up] * 3,
            *[self.double_post] * 1,
            *[self.bad_body] * 2,
            *[self.bad_identity] * 1,
            *[self.streamed] * 1,
            *[self.transcript] * 1,
        ]


async def fire(
    api_url: str, codec: TokenCodec, requests: int, concurrency: int, *, seed: int = 0, progress: bool = False
) -> Tally:
    """Send `requests` requests of the hostile mix, `concurrency` at a time; count what they got."""
    tally = Tally()
    reported = [0]
    limits = httpx.Limits(max_connections=concurrency + 1, max_keepalive_connections=concurrency + 1)
    async with httpx.AsyncClient(base_url=api_url, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        hostile = Hostile(client, codec, tally, seed)
        kinds = itertools.cycle(hostile.kinds())
        budget = requests

        async def worker() -> None:
            nonlocal budget
            while budget > 0:
                kind = next(kinds)
                if kind == hostile.double_post and budget < 2:
                    kind = hostile.follow_up
                reserved = 2 if kind == hostile.double_post else 1
                budget -= reserved
                sent = await kind()  # a double post falls back to one new conversation
                budget += reserved - sent
                if progress and tally.requests // PROGRESS_EVERY > reported[0]:
                    reported[0] = tally.requests // PROGRESS_EVERY
                    print(tally.summary(), file=sys.stderr, flush=True)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="per-token delay of the offline model")
    parser.add_argument("--workdir", type=Path, help="keep the store and the services' logs here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        env = system_env(workdir, args.delay_ms)
        codec = TokenCodec(env["STOREFRONT_TOKEN_SECRET"], STOREFRONT_ISSUER)
        with running_up(env, workdir) as system:
            start = time.perf_counter()
            tally = asyncio.run(fire(system.api_url, codec, args.requests, args.concurrency, progress=True))
            wall = time.perf_counter() - start
    print(f"{tally.requests} requests at concurrency {args.concurrency} against up in {wall:.0f} s")
    print(tally.report())
    return 1 if tally.server_errors or tally.dropped or tally.cut_streams else 0


if __name__ == "__main__":
    sys.exit(main())
