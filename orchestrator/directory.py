"""The specialists this orchestrator talks to: one pooled HTTP client, their cards, found as they come up.

Every configured specialist is called at its configured URL (`<NAME>_URL`: a balancer, a compose
service name, an ingress), never at the address a replica's card names, so calls spread over the
replicas behind it. A specialist whose card offers A2A's gRPC binding is called over it, at the
configured `<NAME>_GRPC_URL`, on one channel per specialist; one whose card does not (or with
`A2A_GRPC=false`) is called over JSON-RPC. A specialist that is not up when the orchestrator starts
is looked for again in the background, and on demand when a turn needs it, so it serves as soon as
it appears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import grpc.aio
import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.types import AgentCard
from a2a.utils.constants import TransportProtocol

from agents.settings import Settings

logger = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_S = 1.0
SLOW_FAILURE_S = 0.5
DISCOVERY_FIRST_DELAY_S = 0.5
DISCOVERY_MAX_DELAY_S = 5.0
HEALTH_TIMEOUT_S = 2.0
MAX_CONNECTIONS_PER_ORIGIN = 200
KEEPALIVE_PER_ORIGIN = 10
# A channel whose specialist went away tries again within a second of it coming back, not after
# gRPC's default backoff (up to two minutes); a channel made after a failure (`forget`) has its own
# connections, not the failed channel's, which may still be backing off.
GRPC_CHANNEL_OPTIONS = (
    ("grpc.use_local_subchannel_pool", 1),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 1000),
)


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


def at_url(card: AgentCard, base_url: str, grpc_url: str | None = None) -> AgentCard:
    """A copy of `card` whose HTTP interfaces are served at `base_url`'s scheme and host (their paths kept)
    and whose gRPC interface at `grpc_url`, dropped without one."""
    routed = AgentCard()
    routed.CopyFrom(card)
    origin = urlsplit(base_url)
    interfaces = []
    for interface in routed.supported_interfaces:
        if interface.protocol_binding == TransportProtocol.GRPC:
            if not grpc_url:
                continue
            interface.url = grpc_url
        else:
            parts = urlsplit(interface.url)
            interface.url = urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, parts.fragment))
        interfaces.append(interface)
    del routed.supported_interfaces[:]
    routed.supported_interfaces.extend(interfaces)
    return routed


class _CallDeadline(grpc.aio.UnaryStreamClientInterceptor, grpc.aio.UnaryUnaryClientInterceptor):
    """Gives every gRPC call without a deadline `deadline_s`: what the HTTP read timeout bounds over JSON-RPC."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s

    def _bounded(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        if details.timeout is not None:
            return details
        return grpc.aio.ClientCallDetails(
            details.method, self.deadline_s, details.metadata, details.credentials, details.wait_for_ready
        )

    async def intercept_unary_stream(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        return await continuation(self._bounded(client_call_details), request)

    async def intercept_unary_unary(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        return await continuation(self._bounded(client_call_details), request)


class SpecialistDirectory:
    """The configured specialists, each with its card and A2A client once its card has been fetched."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        urls: Mapping[str, str],
        grpc_urls: Mapping[str, str] | None = None,
        *,
        grpc_deadline_s: float = 60.0,
    ) -> None:
        self.http = http
        self.urls = dict(urls)
        self.grpc_urls = dict(grpc_urls or {})
        self.specialists: dict[str, RemoteSpecialist] = {}
        self.unreachable: dict[str, str] = dict.fromkeys(self.urls, "not looked for yet")
        self._deadline = _CallDeadline(grpc_deadline_s)
        self._channels: dict[str, grpc.aio.Channel] = {}  # by target
        self._closing: set[asyncio.Task[None]] = set()
        config = ClientConfig(
            streaming=True,
            httpx_client=http,
            supported_protocol_bindings=[TransportProtocol.GRPC, TransportProtocol.JSONRPC],
            use_client_preference=True,
            grpc_channel_factory=self._channel,
        )
        self._factory = ClientFactory(config)
        self._locks = {name: asyncio.Lock() for name in self.urls}
        self._failed_slowly_at: dict[str, float] = {}
        self._looks = dict.fromkeys(self.urls, 0)  # fetches finished, per specialist
        self._background: asyncio.Task[None] | None = None

    def _channel(self, target: str) -> grpc.aio.Channel:
        channel = grpc.aio.insecure_channel(target, options=GRPC_CHANNEL_OPTIONS, interceptors=[self._deadline])
        self._channels[target] = channel
        return channel

    def forget(self, name: str, reason: str) -> None:
        """Drop specialist `name`'s card and client after its transport failed: the next turn fetches its card
        again (it may have restarted, with other interfaces) on a new connection. Its gRPC channel closes
        once the calls still on it are done, so one failed call does not cut the others short."""
        if self.specialists.pop(name, None) is None:
            return
        self.unreachable[name] = reason
        channel = self._channels.pop(self.grpc_urls.get(name, ""), None)
        if channel is not None:
            task = asyncio.create_task(channel.close(grace=self._deadline.deadline_s), name=f"close {name} channel")
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    def missing(self) -> dict[str, str]:
        """The configured specialists whose card is not fetched yet, with the reason."""
        return dict(self.unreachable)

    async def discover(self) -> None:
        """Try once, concurrently, every specialist not discovered yet."""
        await asyncio.gather(*(self.ensure(name, force=True) for name in self.missing()))

    async def ensure(self, name: str, *, force: bool = False) -> RemoteSpecialist | None:
        """The specialist, fetching its card now if needed; None when it can't be had.

        Concurrent callers share one fetch. A fetch that failed at once (refused, a 503 from a balancer
        with no replica up yet) is tried again by the next caller, so a specialist serves from the turn
        after it comes up; after a slow failure (`SLOW_FAILURE_S` or more: a hung or unroutable host),
        callers within `RETRY_AFTER_FAILURE_S` get None at once (unless `force`), so an outage costs a
        turn no wait.
        """
        if name in self.specialists:
            return self.specialists[name]
        if not force and time.monotonic() - self._failed_slowly_at.get(name, float("-inf")) < RETRY_AFTER_FAILURE_S:
            return None
        looks = self._looks[name]
        async with self._locks[name]:
            if name not in self.specialists and self._looks[name] == looks:  # none finished while we waited
                await self._look_for(name)
        return self.specialists.get(name)

    async def _look_for(self, name: str) -> None:
        url = self.urls[name]
        started = time.monotonic()
        try:
            card = await A2ACardResolver(self.http, url).get_agent_card()
            if card.name != name:
                raise ValueError(f"card names {card.name!r}, expected {name!r}")
        except Exception as exc:  # whatever stops the fetch, the specialist stays missing, with the reason
            now = time.monotonic()
            if now - started >= SLOW_FAILURE_S:
                self._failed_slowly_at[name] = now
            reason = f"{type(exc).__name__}: {exc}"
            if self.unreachable.get(name) != reason:
                logger.warning("specialist %s at %s is not available yet: %s", name, url, reason)
            self.unreachable[name] = reason
            return
        finally:
            self._looks[name] += 1
        routed = at_url(card, url, self.grpc_urls.get(name))
        self.specialists[name] = RemoteSpecialist(name, url, card, self._factory.create(routed))
        self.unreachable.pop(name, None)
        self._failed_slowly_at.pop(name, None)
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
        """Stop the background discovery and close the gRPC channels."""
        if self._background is not None:
            self._background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._background
            self._background = None
        channels, self._channels = list(self._channels.values()), {}
        await asyncio.gather(*(channel.close() for channel in channels), *self._closing)

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
