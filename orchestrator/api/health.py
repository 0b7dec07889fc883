"""`GET /healthz`: liveness."""

from typing import Any

from fastapi import APIRouter

from orchestrator.api.dependencies import Service

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
async def healthz(service: Service) -> dict[str, Any]:
    return {"status": "ok", "mesh": service.mesh.participant_names}
