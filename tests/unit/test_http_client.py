"""The orchestrator's HTTP client for A2A calls: one connection pool per specialist origin."""

import httpx

from agents.settings import Settings
from orchestrator.directory import build_http_client


async def test_each_specialist_origin_has_a_pool_of_its_own(monkeypatch):
    served_by: dict[str, list[httpx.AsyncHTTPTransport]] = {}

    async def handle(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        served_by.setdefault(f"{request.url.host}:{request.url.port}", []).append(self)
        return httpx.Response(200)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle)
    urls = ["http://product-discovery.test:8001", "http://ingress.test/pricing/", "http://ingress.test/reviews/"]
    async with build_http_client(Settings(), urls) as http:
        for url in (
            "http://product-discovery.test:8001/a2a",
            "http://product-discovery.test:8001/healthz",
            "http://ingress.test/pricing/a2a",
            "http://ingress.test/reviews/a2a",
            "http://elsewhere.test/",
        ):
            await http.get(url)

    pools = {origin: {id(t) for t in transports} for origin, transports in served_by.items()}
    assert all(len(ids) == 1 for ids in pools.values()), "an origin's requests share its pool"
    assert len(set.union(*pools.values())) == 3, "a pool per origin (two specialists behind one ingress share it)"
    assert set(pools) == {"product-discovery.test:8001", "ingress.test:None", "elsewhere.test:None"}
