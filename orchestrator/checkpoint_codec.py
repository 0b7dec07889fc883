"""How a conversation's workflow checkpoint is written to its row: JSON, each message once, as a dict.

MAF's own checkpoint encoding pickles every `Message` it meets, once per reference. In a handoff
mesh every agent keeps its own list of the broadcast conversation, so a checkpoint pickled each
message several times, and decoding ran the (restricted) unpickler for each copy: about half the
checkpoint's CPU and most of its bytes. Here a message is written once, as `Message.to_dict()`, in
the row's `messages` table, and every place that held it refers to it by index; decoding builds one
`Message` per entry with `Message.from_dict`, shared by the places that shared it when the workflow
paused (as the live workflow did). Everything else that is not plain JSON (the paused request's
event, anything unexpected) keeps MAF's encoding, wrapped, so it decodes with MAF's allow-list.

A row without the `codec` key is in MAF's encoding (written before this codec) and is read as
before; the next turn writes it back in this one.
"""

from __future__ import annotations

import json
from typing import Any

from agent_framework import Message

from agents.maf_internals import CHECKPOINT_ALLOWED_TYPES, decode_checkpoint_value, encode_checkpoint_value

CODEC = "messages/1"
_MESSAGE = "__message__"  # {"__message__": i}: entry i of the row's messages
_MAF = "__maf__"  # {"__maf__": v}: v in MAF's checkpoint encoding
# A plain dict with one of these keys (ours or MAF's markers) is written in MAF's encoding, so it can't be
# mistaken for a marker when it is read.
_RESERVED = frozenset({_MESSAGE, _MAF, "__pickled__", "__type__"})
_JSON_NATIVE = (str, int, float, bool, type(None))


def encode_checkpoint(value: dict[str, Any]) -> str:
    """The row data of a checkpoint's `to_dict()` value."""
    messages: list[dict[str, Any]] = []
    indexes: dict[int, int] = {}  # id(message) -> its entry; the messages are alive, so ids are unique

    def encode(item: Any) -> Any:
        if isinstance(item, _JSON_NATIVE):
            return item
        kind = type(item)
        if kind is Message:
            index = indexes.get(id(item))
            if index is None:
                index = indexes[id(item)] = len(messages)
                messages.append(item.to_dict())
            return {_MESSAGE: index}
        if kind is list:
            return [encode(element) for element in item]
        if kind is dict and all(type(key) is str and key not in _RESERVED for key in item):
            return {key: encode(element) for key, element in item.items()}
        return {_MAF: encode_checkpoint_value(item)}

    checkpoint = encode(value)
    return json.dumps({"codec": CODEC, "messages": messages, "checkpoint": checkpoint})


def decode_checkpoint(data: str) -> dict[str, Any]:
    """A checkpoint's `to_dict()` value from its row data, in this codec or in MAF's encoding."""
    stored = json.loads(data)
    if stored.get("codec") != CODEC:
        value: dict[str, Any] = decode_checkpoint_value(stored, allowed_types=CHECKPOINT_ALLOWED_TYPES)
        return value
    messages = [Message.from_dict(entry) for entry in stored["messages"]]

    def decode(item: Any) -> Any:
        kind = type(item)
        if kind is list:
            return [decode(element) for element in item]
        if kind is dict:
            if _MESSAGE in item:
                return messages[item[_MESSAGE]]
            if _MAF in item:
                return decode_checkpoint_value(item[_MAF], allowed_types=CHECKPOINT_ALLOWED_TYPES)
            return {key: decode(element) for key, element in item.items()}
        return item

    checkpoint: dict[str, Any] = decode(stored["checkpoint"])
    return checkpoint
