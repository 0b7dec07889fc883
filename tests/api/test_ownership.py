"""A conversation belongs to the first signed-in shopper who posts in it; nobody else reads or writes it."""

import asyncio

from tests.support.backends import on_test_model_in_process

pytestmark = on_test_model_in_process
TRACKING = "PA1001347044"  # ORD-1001's, of CUST-001 (the seed)


def bearer(system, customer: str) -> dict[str, str]:
    return {"authorization": f"Bearer {system.shopper_token(customer)}"}


async def test_an_anonymous_conversation_is_claimed_by_the_shopper_who_signs_in(system):
    started = await system.chat("Is the TrailPeak 2 tent in stock?")
    assert started.status_code == 200
    conversation = started.json()["conversation_id"]

    signed_in = await system.chat("Where is my order ORD-1001?", conversation, customer="CUST-001")
    assert signed_in.status_code == 200
    assert TRACKING in signed_in.json()["reply"], "chat first, sign in later keeps working"

    for headers in ({}, bearer(system, "CUST-002")):
        read = await system.api.get(f"/api/conversations/{conversation}", headers=headers)
        assert read.status_code == 404
        assert read.json()["error"] == "not_found"
        assert TRACKING not in read.text
        write = await system.api.post(
            "/api/chat", json={"message": "and its tracking number?", "conversation_id": conversation}, headers=headers
        )
        assert write.status_code == 404
        assert TRACKING not in write.text

    mine = await system.api.get(f"/api/conversations/{conversation}", headers=bearer(system, "CUST-001"))
    assert mine.status_code == 200
    assert TRACKING in mine.text
    again = await system.chat("Is OUT-300 in stock?", conversation, customer="CUST-001")
    assert again.status_code == 200


async def test_an_anonymous_conversation_stays_open_to_anonymous_posts_until_claimed(system):
    conversation = (await system.chat("Is OUT-300 in stock?")).json()["conversation_id"]
    assert (await system.chat("Can it ship to eu-central?", conversation)).status_code == 200
    assert (await system.api.get(f"/api/conversations/{conversation}")).status_code == 200


async def test_two_shoppers_racing_to_claim_a_conversation_leave_it_with_one_owner(system):
    conversation = (await system.chat("Is OUT-300 in stock?")).json()["conversation_id"]
    service = system.service.conversations
    opened = await asyncio.gather(
        *(service.open_turn(conversation, c, "Is it mine?") for c in ("CUST-001", "CUST-002")), return_exceptions=True
    )
    winners = [t for t in opened if not isinstance(t, BaseException)]
    assert len(winners) == 1, opened
    await winners[0].release()
    owner = "CUST-001" if isinstance(opened[1], BaseException) else "CUST-002"
    other = "CUST-002" if owner == "CUST-001" else "CUST-001"
    url = f"/api/conversations/{conversation}"
    assert (await system.api.get(url, headers=bearer(system, owner))).status_code == 200
    assert (await system.api.get(url, headers=bearer(system, other))).status_code == 404
