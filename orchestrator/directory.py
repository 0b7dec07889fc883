"""The specialists this orchestrator talks to: one pooled HTTP client and their cached agent cards."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.types import AgentCard

from agents.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class RemoteSpecialist:
    """A reachable specialist: its name, base URL, card and A2A client."""

    name: str
    base_url: str
    card: AgentCard
    client: Client


def build_http_client(settings: Settings) -> httpx.AsyncClient:
    """The process-wide pooled HTTP client for A2A calls, with timeouts from settings."""
    timeout = httpx.Timeout(
        connect=settings.a2a_connect_timeout_s,
        read=settings.a2a_read_timeout_s,
        write=settings.a2a_connect_timeout_s,
        pool=settings.a2a_connect_timeout_s,
    )
    return httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))


class SpecialistDirectory:
    """Fetches each specialist's card once at start and keeps an A2A client per specialist."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.specialists: dict[str, RemoteSpecialist] = {}
        self.unreachable: dict[str, str] = {}
        self._factory = ClientFactory(ClientConfig(streaming=True, httpx_client=http))

    async def discover(self, urls: dict[str, str]) -> None:
        """Fetch every card concurrently; a specialist whose card can't be fetched is reported and left out."""
        results = await asyncio.gather(*(self._fetch(url) for url in urls.values()), return_exceptions=True)
        for (name, url), result in zip(urls.items(), results, strict=True):
            if isinstance(result, BaseException):
                self.unreachable[name] = f"{type(result).__name__}: {result}"
                logger.warning("specialist %s at %s is unreachable and left out: %s", name, url, result)
                continue
            if result.name != name:
                self.unreachable[name] = f"card names {result.name!r}, expected {name!r}"
                logger.warning("specialist at %s answers as %r, expected %r; left out", url, result.name, name)
                continue
            self.specialists[name] = RemoteSpecialist(name, url, result, self._factory.create(result))

    async def _fetch(self, url: str) -> AgentCard:
        return await A2ACardResolver(self.http, url).get_agent_card()

    async def reachability(self) -> dict[str, bool]:
        """Whether each known specialist answers its health check now."""

        async def probe(spec: RemoteSpecialist) -> bool:
            try:
                response = await self.http.get(spec.base_url.rstrip("/") + "/healthz", timeout=2.0)
            except httpx.HTTPError:
                return False
            return response.status_code == 200

        names = list(self.specialists)
        states = await asyncio.gather(*(probe(self.specialists[n]) for n in names))
        return dict(zip(names, states, strict=True))
