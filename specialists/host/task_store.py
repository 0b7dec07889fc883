"""A2A task store that keeps only the most recent tasks in memory.

The conversation itself lives in the durable agent sessions; tasks are only needed while a turn
runs and shortly after, so an unbounded in-memory store would just grow with traffic.
"""

from __future__ import annotations

from collections import OrderedDict

from a2a.server.context import ServerCallContext
from a2a.server.tasks import InMemoryTaskStore
from a2a.types import Task


class BoundedTaskStore(InMemoryTaskStore):
    """`InMemoryTaskStore` that forgets the least recently saved tasks beyond `max_tasks`."""

    def __init__(self, max_tasks: int = 1000) -> None:
        super().__init__()
        self._max_tasks = max_tasks
        self._recent: OrderedDict[str, ServerCallContext] = OrderedDict()

    async def save(self, task: Task, context: ServerCallContext) -> None:
        await super().save(task, context)
        self._recent[task.id] = context
        self._recent.move_to_end(task.id)
        while len(self._recent) > self._max_tasks:
            old_id, old_context = self._recent.popitem(last=False)
            await super().delete(old_id, old_context)

    async def delete(self, task_id: str, context: ServerCallContext) -> None:
        self._recent.pop(task_id, None)
        await super().delete(task_id, context)
