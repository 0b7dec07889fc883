"""A checkpoint's row: each message once, as a dict; what is not JSON in MAF's encoding; old rows still read."""

import json
from datetime import UTC, datetime
from typing import Any

from agent_framework import Content, Message

from agents.maf_internals import CHECKPOINT_ALLOWED_TYPES, decode_checkpoint_value, encode_checkpoint_value
from orchestrator.checkpoint_codec import CODEC, decode_checkpoint, encode_checkpoint


def broadcast_state() -> dict[str, Any]:
    """Two agents holding the same broadcast messages, one holding its own copy of one of them, and values
    that are not plain JSON or look like the codec's markers."""
    ask = Message("user", [Content.from_text("Is OUT-300 in stock?")])
    call = Message(
        "assistant",
        [Content.from_function_call(call_id="c1", name="handoff_to_inventory-fulfillment", arguments="{}")],
        author_name="orchestrator",
    )
    result = Message("tool", [Content.from_function_result(call_id="c1", result='{"handoff_to": "x"}')])
    own_copy = Message("user", [Content.from_text("Is OUT-300 in stock?")])
    return {
        "state": {
            "_executor_state": {
                "orchestrator": {"cache": [ask, call, result], "full_conversation": [ask]},
                "inventory-fulfillment": {"cache": [own_copy, call, result], "pending_request_order": []},
            },
            "looks_like_ours": {"__message__": 0, "__maf__": 1},
            "looks_like_mafs": {"__pickled__": "x", "__type__": "y"},
            "numbered": {1: "one", 2: "two"},
            "pair": ("a", 1),
            "when": datetime(2026, 12, 2, tzinfo=UTC),
        },
        "iteration_count": 3,
        "messages": {},
    }


def test_messages_are_written_once_as_dicts_and_read_back_shared_as_they_were() -> None:
    value = broadcast_state()
    data = encode_checkpoint(value)
    stored = json.loads(data)
    assert stored["codec"] == CODEC
    assert len(stored["messages"]) == 4, "the shared call, result and ask once each, the own copy apart"
    assert all(isinstance(entry, dict) and entry["type"] == "message" for entry in stored["messages"])

    decoded = decode_checkpoint(data)
    agents = decoded["state"]["_executor_state"]
    orchestrator, inventory = agents["orchestrator"], agents["inventory-fulfillment"]
    assert [m.to_dict() for m in inventory["cache"]] == [m.to_dict() for m in orchestrator["cache"]]
    assert inventory["cache"][1] is orchestrator["cache"][1], "a message the agents shared is shared again"
    assert orchestrator["full_conversation"][0] is orchestrator["cache"][0]
    assert inventory["cache"][0] is not orchestrator["cache"][0], "a copy stays a copy"
    assert inventory["cache"][1].contents[0].call_id == "c1"


def test_everything_else_reads_back_as_mafs_own_encoding_would_give_it() -> None:
    value = broadcast_state()
    through_maf = decode_checkpoint_value(
        json.loads(json.dumps(encode_checkpoint_value(value))), allowed_types=CHECKPOINT_ALLOWED_TYPES
    )
    decoded = decode_checkpoint(encode_checkpoint(value))
    for key in ("looks_like_ours", "looks_like_mafs", "numbered", "pair", "when"):
        assert decoded["state"][key] == through_maf["state"][key], key
    assert decoded["state"]["pair"] == ("a", 1)
    assert decoded["iteration_count"] == 3 and decoded["messages"] == {}


def test_a_row_written_in_mafs_encoding_before_the_codec_is_still_read() -> None:
    value = broadcast_state()
    old_row = json.dumps(encode_checkpoint_value(value))
    decoded = decode_checkpoint(old_row)
    cache = decoded["state"]["_executor_state"]["inventory-fulfillment"]["cache"]
    assert [m.to_dict() for m in cache] == [
        m.to_dict() for m in value["state"]["_executor_state"]["inventory-fulfillment"]["cache"]
    ]
    assert decode_checkpoint(encode_checkpoint(decoded))["state"]["numbered"] == {"1": "one", "2": "two"}
