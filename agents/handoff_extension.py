"""The A2A handoff extension: the contract between an orchestrator proxy and a specialist.

- The specialist declares `HANDOFF_EXTENSION_URI` in its card's `capabilities.extensions`.
- A request's metadata carries `handoff_targets`: the agents the caller's mesh lets this specialist
  hand the conversation to, each `{"name", "description"}`.
- A reply that hands back carries `handoff: {"target", "reason"}` in the metadata of its final status
  update, with optional text the shopper sees.
- Every reply carries `usage: {"llm_calls", "input_tokens", "output_tokens"}` for the turn.
- A completed reply carries `session_version`, the version of the specialist's session it saved; the
  caller's next request in that context names it, and a specialist that saved exactly that version
  itself may answer from its own copy of the session instead of reading it back from the database.
- A handoff is a model's call of a tool named by `handoff_tool_name(target)`, on both sides of the line:
  the tools MAF's mesh gives the orchestrator's agents and the ones a specialist offers its own model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from agents.maf_internals import HANDOFF_TOOL_PREFIX, get_handoff_tool_name
from agents.run_context import ModelUsage

HANDOFF_EXTENSION_URI = "urn:ecommerce-agents:a2a:handoff:v1"
TARGETS_KEY = "handoff_targets"
HANDOFF_KEY = "handoff"
USAGE_KEY = "usage"
SESSION_VERSION_KEY = "session_version"


@dataclass(frozen=True)
class HandoffTarget:
    """An agent the specialist may hand the conversation to."""

    name: str
    description: str


@dataclass(frozen=True)
class Handoff:
    """A specialist's decision to give the conversation to `target`."""

    target: str
    reason: str = ""


def handoff_tool_name(target: str) -> str:
    """The name of the tool that hands the conversation to `target` (`handoff_to_<target>`)."""
    return get_handoff_tool_name(target)


def handoff_tool_target(tool_name: str) -> str | None:
    """The target a handoff tool hands to, as its name spells it; None for a tool that is no handoff."""
    return tool_name.removeprefix(HANDOFF_TOOL_PREFIX) if tool_name.startswith(HANDOFF_TOOL_PREFIX) else None


def targets_metadata(targets: list[HandoffTarget]) -> dict[str, Any]:
    """Request metadata announcing the allowed handoff targets."""
    return {TARGETS_KEY: [asdict(t) for t in targets]}


def parse_targets(metadata: Mapping[str, Any] | None) -> list[HandoffTarget]:
    """The handoff targets of a request's metadata (malformed entries are skipped)."""
    raw = (metadata or {}).get(TARGETS_KEY) or []
    targets = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"]:
            targets.append(HandoffTarget(item["name"], str(item.get("description") or "")))
    return targets


def handoff_metadata(handoff: Handoff) -> dict[str, Any]:
    """Reply metadata that hands the conversation to `handoff.target`."""
    return {HANDOFF_KEY: asdict(handoff)}


def parse_handoff(metadata: Mapping[str, Any] | None) -> Handoff | None:
    """The handoff of a reply's metadata, if any."""
    raw = (metadata or {}).get(HANDOFF_KEY)
    if isinstance(raw, Mapping) and isinstance(raw.get("target"), str) and raw["target"]:
        return Handoff(raw["target"], str(raw.get("reason") or ""))
    return None


def parse_usage(metadata: Mapping[str, Any] | None) -> ModelUsage:
    """The usage of a reply's metadata, as ints again.

    A2A metadata is a protobuf `Struct`, whose only number is a double (exact for whole numbers up to
    2**53), so the counts arrive as floats; anything but a whole, non-negative number counts 0.
    """
    raw = (metadata or {}).get(USAGE_KEY)
    if not isinstance(raw, Mapping):
        return ModelUsage()
    return ModelUsage(*(_count(raw.get(k)) for k in ("llm_calls", "input_tokens", "output_tokens")))


def parse_session_version(metadata: Mapping[str, Any] | None) -> str | None:
    """The session version of a request's or a reply's metadata, if any."""
    raw = (metadata or {}).get(SESSION_VERSION_KEY)
    return raw if isinstance(raw, str) and raw else None


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value) if value >= 0 and float(value).is_integer() else 0


# A request may carry several turns the specialist has not seen yet (what other agents said since
# its last turn, then the shopper's message): one text part per turn, each with this part metadata.
TURN_ROLE_KEY = "role"
TURN_AUTHOR_KEY = "author"


def turn_metadata(role: str, author: str | None) -> dict[str, str]:
    """Part metadata of one forwarded turn."""
    return {TURN_ROLE_KEY: role, TURN_AUTHOR_KEY: author or ""}
