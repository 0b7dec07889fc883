"""The specialists this orchestrator talks to: one pooled HTTP client, their cards, found as they come up.

Every configured specialist is called at its configured URL (`<NAME>_URL`: a balancer, a compose
service name, an ingress), never at the address a replica's card names, so calls spread over the
replicas behind it. A specialist that is not up when the orchestrator starts is looked for again in
the background, and on demand when a turn needs it, so it serves as soon as it appears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.types import AgentCard

from agents.settings import Settings

logger = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_S = 1.0
DISCOVERY_FIRST_DELAY_S = 0.5
DISCOVERY_MAX_DELAY_S = 5.0
HEALTH_TIMEOUT_S = 2.0
MAX_CONNECTIONS_PER_ORIGIN = 200
KEEPALIVE_PER_ORIGIN = 10


@dataclass
class RemoteSpecialist:
    """A discovered specialist: its name, configured base URL, card and A2A client."""

    name: str
    base_url: str
    card: AgentCard
    client: Client


def build_http_client(settings: Settings, urls: Iterable[str] = ()) -> httpx.AsyncClient:
    """The process-wide HTTP client for A2A calls, with timeouts from settings and a pool per origin of `urls`.

    On every request and every response's close, httpcore checks each idle connection of the pool
    (a poll of its socket) and counts the pool's connections for each idle one, so a shared pool left
    with dozens of idle connections by a burst cost each call a few ms of CPU for connections to other
    specialists. Each specialist's origin has a pool of its own, keeping at most `KEEPALIVE_PER_ORIGIN`
    connections idle. A connection that fails before the request is sent (refused, connect timeout) is
    retried once: nothing reached a specialist, so the retry, through the same balancer, is safe.
    """
    timeout = httpx.Timeout(
        connect=settings.a2a_connect_timeout_s,
        read=settings.a2a_read_timeout_s,
        write=settings.a2a_connect_timeout_s,
        pool=settings.a2a_connect_timeout_s,
    )
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS_PER_ORIGIN, max_keepalive_connections=KEEPALIVE_PER_ORIGIN)

    def pool() -> httpx.AsyncHTTPTransport:
        return httpx.AsyncHTTPTransport(limits=limits, retries=1)

    mounts = {_origin(url): pool() for url in urls}
    return httpx.AsyncClient(timeout=timeout, transport=pool(), mounts=mounts)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def at_url(card: AgentCard, base_url: str) -> AgentCard:
    """A copy of `card` whose interfaces are served at `base_url`'s scheme and host (their paths kept)."""
    routed = AgentCard()
    routed.CopyFrom(card)
    origin = urlsplit(base_url)
    for interface in routed.supported_interfaces:
        parts = urlsplit(interface.url)
        interface.url = urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, parts.fragment))
    return routed


class SpecialistDirectory:
    """The configured specialists, each with its card and A2A client once its card has been fetched."""

    def __init__(self, http: httpx.AsyncClient, urls: Mapping[str, str]) -> None:
        self.http = http
        self.urls = dict(urls)
        self.specialists: dict[str, RemoteSpecialist] = {}
        self.unreachable: dict[str, str] = dict.fromkeys(self.urls, "not looked for yet")
        self._factory = ClientFactory(ClientConfig(streaming=True, httpx_client=http))
        self._locks = {name: asyncio.Lock() for name in self.urls}
        self._failed_at: dict[str, float] = {}
        self._background: asyncio.Task[None] | None = None

    def missing(self) -> dict[str, str]:
        """The configured specialists whose card is not fetched yet, with the reason."""
        return dict(self.unreachable)

    async def discover(self) -> None:
        """Try once, concurrently, every specialist not discovered yet."""
        await asyncio.gather(*(self.ensure(name, force=True) for name in self.missing()))

    async def ensure(self, name: str, *, force: bool = False) -> RemoteSpecialist | None:
        """The specialist, fetching its card now if needed; None when it can't be had.

        Concurrent callers share one fetch; after a failure, callers within `RETRY_AFTER_FAILURE_S`
        get None at once (unless `force`), so an outage costs a turn no wait.
        """
        if name in self.specialists:
            return self.specialists[name]
        if not force and time.monotonic() - self._failed_at.get(name, float("-inf")) < RETRY_AFTER_FAILURE_S:
            return None
        async with self._locks[name]:
            if name not in self.specialists:
                await self._look_for(name)
        return self.specialists.get(name)

    async def _look_for(self, name: str) -> None:
        url = self.urls[name]
        try:
            card = await A2ACardResolver(self.http, url).get_agent_card()
            if card.name != name:
                raise ValueError(f"card names {card.name!r}, expected {name!r}")
        except Exception as exc:  # whatever stops the fetch, the specialist stays missing, with the reason
            self._failed_at[name] = time.monotonic()
            reason = f"{type(exc).__name__}: {exc}"
            if self.unreachable.get(name) != reason:
                logger.warning("specialist %s at %s is not available yet: %s", name, url, reason)
            self.unreachable[name] = reason
            return
        self.specialists[name] = RemoteSpecialist(name, url, card, self._factory.create(at_url(card, url)))
        self.unreachable.pop(name, None)
        self._failed_at.pop(name, None)
        logger.info("specialist %s discovered at %s", name, url)

    def start_background_discovery(self) -> None:
        """Keep looking for the missing specialists, backing off to every few seconds, until all are found."""
        if self._background is None and self.unreachable:
            self._background = asyncio.create_task(self._keep_discovering(), name="specialist-discovery")

    async def _keep_discovering(self) -> None:
        delay = DISCOVERY_FIRST_DELAY_S
        while self.unreachable:
            await asyncio.sleep(delay)
            await self.discover()
            delay = min(delay * 2, DISCOVERY_MAX_DELAY_S)
        logger.info("all specialists discovered")

    async def close(self) -> None:
        """Stop the background discovery."""
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._background
            self._background = None

    async def reachability(self) -> dict[str, bool]:
        """Whether each configured specialist answers its health check at its configured URL now."""

        async def probe(url: str) -> bool:
            try:
                response = await self.http.get(url.rstrip("/") + "/healthz", timeout=HEALTH_TIMEOUT_S)
            except httpx.HTTPError:
                return False
            return response.status_code == 200

        states = await asyncio.gather(*(probe(url) for url in self.urls.values()))
        return dict(zip(self.urls, states, strict=True))
