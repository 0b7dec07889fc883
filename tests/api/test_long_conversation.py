"""A long conversation keeps working: 120 turns, each answered, on the offline model.

The strict double proves the transcripts of long conversations in `tests/wire`, in a fraction of the time.
"""


async def test_a_conversation_of_120_turns(system):
    asks = ["Is OUT-300 in stock?", "Can it ship to eu-central?", "and to us-east?", "when is KIT-200 restocked?"]
    conversation = None
    for turn in range(120):
        response = await system.chat(asks[turn % len(asks)], conversation)
        assert response.status_code == 200, (turn, response.text)
        conversation = response.json()["conversation_id"]
    transcript = (await system.api.get(f"/api/conversations/{conversation}")).json()
    assert transcript["turns"] == 120
