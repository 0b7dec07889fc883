"""The confident first-pass router on the running mesh: a clear first ask reaches its specialist with no
orchestrator model call, the stored transcripts stay valid, and a wrong pick comes back over the back edge.

On the OpenAI backend every request goes to the strict Chat Completions double, which rejects any
transcript the real API would (the backend fixture fails the test on a rejected request), so the
orchestrator's later calls prove that what the router stored in its history reads as a valid transcript.
"""

from agents.maf_internals import EXECUTOR_CACHE_KEY, EXECUTOR_SESSION_KEY, EXECUTOR_STATE_KEY, HISTORY_SOURCE_ID
from orchestrator.checkpoints import heal
from orchestrator.first_pass import Pick, RouteIndex
from tests.support.backends import OFFLINE, both_backends
from tests.support.checkpoints import stored_checkpoint

PD, INV, PRICE = "product-discovery", "inventory-fulfillment", "pricing-promotions"


async def checked_state(system, conversation_id: str) -> dict:
    """The conversation's stored checkpoint state, asserted to hold only valid transcripts."""
    state = (await stored_checkpoint(system.service.engine, conversation_id))["state"]
    assert heal(state) == {}, "every agent's stored transcript is valid"
    return state


@both_backends
async def test_a_clear_first_ask_is_handed_off_without_an_orchestrator_model_call(system, model_backend):
    first = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    assert first["route"] == ["orchestrator", INV]
    assert first["handoffs"] == [{"source": "orchestrator", "target": INV}]
    assert "WH-WEST" in first["reply"] or "in stock" in first["reply"].lower()
    assert model_backend.model_calls(system, "orchestrator") == 0
    if model_backend.name == OFFLINE:
        assert first["usage"]["llm_calls"] == 2, "the specialist's tool call and its answer, nothing else"

    orchestrator = (await checked_state(system, first["conversation_id"]))[EXECUTOR_STATE_KEY]["orchestrator"]
    history = orchestrator[EXECUTOR_SESSION_KEY]["state"][HISTORY_SOURCE_ID]["messages"]
    assert [m["role"] for m in history] == ["user", "assistant"], "the ask and the handoff call, as a model's"
    call = history[1]["contents"][0]
    assert call["type"] == "function_call" and call["name"] == f"handoff_to_{INV}"
    assert orchestrator[EXECUTOR_CACHE_KEY][0].contents[0].call_id == call["call_id"], "its result waits"

    # An out-of-domain follow-up: the orchestrator's model now reads what the router stored.
    second = (await system.chat("Is TRAIL20 valid for the TrailPeak 2 tent?", first["conversation_id"])).json()
    assert second["route"] == [INV, "orchestrator", PRICE]
    assert model_backend.model_calls(system, "orchestrator") == 1
    await checked_state(system, first["conversation_id"])


@both_backends
async def test_a_wrong_pick_costs_one_hand_back_and_the_conversation_goes_on(system, model_backend, monkeypatch):
    monkeypatch.setattr(RouteIndex, "pick", lambda self, ask, *, margin, among=None: Pick(PD, 9.0, 0.0, True))
    first = (await system.chat("Is the TrailPeak 2 tent in stock?")).json()
    assert first["route"] == ["orchestrator", PD, "orchestrator", INV]
    assert first["agent"] == INV
    assert model_backend.model_calls(system, "orchestrator") == 1, "the router's pick, then the model's"
    await checked_state(system, first["conversation_id"])

    follow_up = (await system.chat("Can it ship to eu-central?", first["conversation_id"])).json()
    assert follow_up["route"] == [INV]
    await checked_state(system, first["conversation_id"])


@both_backends
async def test_a_greeting_is_still_the_orchestrator_models_to_answer(system, model_backend):
    hello = (await system.chat("Hi there!")).json()
    assert hello["route"] == ["orchestrator"]
    assert model_backend.model_calls(system, "orchestrator") == 1
    await checked_state(system, hello["conversation_id"])
