"""`GET /api/agents`: every configured specialist, from its agent card once fetched, with reachability."""

from typing import Any

from fastapi import APIRouter

from agents.definitions import get_definition
from orchestrator.api.dependencies import Service

router = APIRouter(tags=["agents"])


@router.get("/api/agents", summary="The specialists, from their agent cards, with reachability")
async def agents(service: Service) -> dict[str, Any]:
    directory = service.directory
    reachable = await directory.reachability()
    listed = []
    for name, url in directory.urls.items():
        entry: dict[str, Any] = {"name": name, "url": url, "in_mesh": True, "reachable": reachable[name]}
        spec = directory.specialists.get(name)
        if spec is None:
            entry.update(description=get_definition(name).description, discovered=False)
            entry["reason"] = directory.unreachable.get(name, "")
        else:
            entry.update(
                description=spec.card.description,
                version=spec.card.version,
                skills=[{"id": s.id, "name": s.name, "examples": list(s.examples)} for s in spec.card.skills],
                discovered=True,
            )
        listed.append(entry)
    missing = sorted(directory.missing())
    return {"orchestrator": service.mesh.orchestrator.name, "specialists": listed, "missing": missing}
