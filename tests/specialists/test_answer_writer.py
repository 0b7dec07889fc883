"""The answer's artifact chunks: one event for an answer written at once, chunks for one that takes time."""

import asyncio
from typing import Any

from specialists.host.executor import AnswerWriter


class Updater:
    """Collects the artifact chunks a writer sends."""

    def __init__(self) -> None:
        self.chunks: list[dict[str, Any]] = []

    async def add_artifact(self, parts: list[Any], **kwargs: Any) -> None:
        self.chunks.append({"text": "".join(p.text for p in parts), **kwargs})

    def sent(self) -> list[tuple[str, bool, bool]]:
        """Each chunk's text, whether it appends, whether it is the last."""
        return [(c["text"], c["append"], c["last_chunk"]) for c in self.chunks]


async def test_an_answer_written_at_once_is_one_last_chunk() -> None:
    updater = Updater()
    writer = AnswerWriter(updater, coalesce_s=0.0)
    for text in ("The tent ", "is in ", "stock."):
        await writer.write(text)
    await writer.finish()
    await asyncio.sleep(0)  # a first chunk that was cancelled never runs
    assert updater.sent() == [("The tent is in stock.", False, True)]


async def test_an_answer_that_takes_time_streams_its_first_text_at_once() -> None:
    updater = Updater()
    writer = AnswerWriter(updater, coalesce_s=0.0)
    await writer.write("The tent ")
    await asyncio.sleep(0.01)  # the model takes a while for its next words
    assert [c["text"] for c in updater.chunks] == ["The tent "], "the first text went out while the model worked"
    await writer.write("is in stock.")
    await writer.finish()
    assert updater.sent() == [
        ("The tent ", False, False),
        ("is in stock.", True, False),
        ("", True, True),
    ]


async def test_settling_before_the_first_chunk_went_out_sends_nothing() -> None:
    updater = Updater()
    writer = AnswerWriter(updater, coalesce_s=0.0)
    await writer.write("The tent ")
    await writer.settle()  # the run failed before the loop got to the first chunk
    await asyncio.sleep(0.01)
    assert updater.chunks == []
