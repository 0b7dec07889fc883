"""The A2A agent card of a specialist, built from its definition."""

from __future__ import annotations

from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentExtension,
    AgentInterface,
    AgentProvider,
    AgentSkill,
    HTTPAuthSecurityScheme,
    SecurityRequirement,
    SecurityScheme,
    StringList,
)

from agents.definitions import AgentDefinition
from agents.handoff_extension import HANDOFF_EXTENSION_URI

RPC_PATH = "/a2a"
CARD_VERSION = "1.0.0"
BEARER_SCHEME = "bearer"


def build_agent_card(definition: AgentDefinition, base_url: str, grpc_url: str | None = None) -> AgentCard:
    """Card with the JSON-RPC interface (and the gRPC one at `grpc_url`, when served), skills,
    streaming, bearer security and the handoff extension."""
    interfaces = [
        AgentInterface(url=base_url.rstrip("/") + RPC_PATH, protocol_binding="JSONRPC", protocol_version="1.0")
    ]
    if grpc_url:
        interfaces.append(AgentInterface(url=grpc_url, protocol_binding="GRPC", protocol_version="1.0"))
    requirement = SecurityRequirement()
    requirement.schemes[BEARER_SCHEME].CopyFrom(StringList())
    return AgentCard(
        name=definition.name,
        description=definition.description,
        version=CARD_VERSION,
        provider=AgentProvider(organization="ecommerce-agents", url=base_url),
        supported_interfaces=interfaces,
        capabilities=AgentCapabilities(
            streaming=True,
            push_notifications=False,
            extensions=[
                AgentExtension(
                    uri=HANDOFF_EXTENSION_URI,
                    description=(
                        "Request metadata 'handoff_targets' lists the agents this specialist may hand the "
                        "conversation to; a reply that hands back carries 'handoff': {target, reason}."
                    ),
                    required=False,
                )
            ],
        ),
        security_schemes={
            BEARER_SCHEME: SecurityScheme(
                http_auth_security_scheme=HTTPAuthSecurityScheme(
                    scheme="bearer",
                    bearer_format="JWT",
                    description="Short-lived service token minted by the orchestrator, audience = agent name.",
                )
            )
        },
        security_requirements=[requirement],
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[
            AgentSkill(
                id=s.id,
                name=s.name,
                description=s.description,
                tags=list(s.tags),
                examples=list(s.examples),
            )
            for s in definition.skills
        ],
    )
