"""`GET /healthz` (liveness) and `GET /readyz` (can serve: store writable, specialists reachable)."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from agents.readiness import store_problem
from orchestrator.api.dependencies import Service
from orchestrator.api.errors import documented, error_response

router = APIRouter(tags=["health"])


class Readiness(BaseModel):
    """What the orchestrator needs to serve: a writable store and its specialists (name: reachable)."""

    status: str
    store: str
    specialists: dict[str, bool]


@router.get("/healthz", summary="Liveness")
async def healthz(service: Service) -> dict[str, Any]:
    return {"status": "ok", "mesh": service.mesh.participant_names}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses=documented(503),
    summary="Readiness: 503 unless the store takes writes and a specialist answers; lists each specialist",
)
async def readyz(service: Service) -> Any:
    """Ready when the store takes a write and at least one specialist answers ("degraded" if not all do).

    A specialist that is down does not make the orchestrator unready: every replica shares it, and the
    mesh answers its topics with a clear message meanwhile.
    """
    problem = await store_problem(service.engine)
    reachable = await service.directory.reachability()
    reachable.update(dict.fromkeys(service.directory.unreachable, False))
    details: dict[str, Any] = {"store": problem or "writable", "specialists": reachable}
    reasons = [f"the store does not take writes ({problem})"] if problem else []
    if not any(reachable.values()):
        reasons.append("no specialist is reachable")
    if reasons:
        return error_response(503, "not_ready", "; ".join(reasons), **details)
    return {"status": "ready" if all(reachable.values()) else "degraded", **details}
