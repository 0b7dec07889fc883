"""`GET /api/agents`: the specialists, from their agent cards, with reachability."""

from typing import Any

from fastapi import APIRouter

from orchestrator.api.dependencies import Service

router = APIRouter(tags=["agents"])


@router.get("/api/agents", summary="The specialists, from their agent cards, with reachability")
async def agents(service: Service) -> dict[str, Any]:
    reachable = await service.directory.reachability()
    listed = [
        {
            "name": spec.name,
            "description": spec.card.description,
            "url": spec.base_url,
            "version": spec.card.version,
            "skills": [{"id": s.id, "name": s.name, "examples": list(s.examples)} for s in spec.card.skills],
            "in_mesh": True,
            "reachable": reachable.get(name, False),
        }
        for name, spec in service.directory.specialists.items()
    ]
    listed += [
        {"name": name, "in_mesh": False, "reachable": False, "reason": reason}
        for name, reason in service.directory.unreachable.items()
    ]
    return {"orchestrator": service.mesh.orchestrator.name, "specialists": listed}
