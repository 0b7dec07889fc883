"""The offline model answers every scripted benchmark conversation through the mesh, with real tools."""

from __future__ import annotations

from benchmarks.conversations import CONVERSATIONS
from benchmarks.measure import play
from benchmarks.setups import in_process_mesh, settings_from


async def test_every_benchmark_turn_reaches_its_agent_and_states_its_facts(tmp_path) -> None:
    settings = settings_from({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/store.db", "MODEL_PROVIDER": "offline"})
    async with in_process_mesh(settings) as setup:
        records = [record for conversation in CONVERSATIONS for record in await play(setup, conversation)]
    missed = [
        f"{r.conversation}#{r.index + 1} ({r.turn.text!r}): {r.result.agent}: {r.result.reply[:80]!r}"
        for r in records
        if not r.facts_found
    ]
    assert missed == []
    assert len(records) == sum(len(c.turns) for c in CONVERSATIONS)
