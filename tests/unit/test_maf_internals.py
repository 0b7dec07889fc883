"""Pins what each private MAF name in `agents.maf_internals` does on the installed version.

If an upgrade moves or changes one of them, these fail instead of the mesh silently losing its
checkpoint bounds, its handoff tool names or its transcript repair.
"""

import ast
import copy
import inspect
import json

from agent_framework import Agent, AgentExecutorRequest, AgentSession, Content, Message
from agent_framework.orchestrations import HandoffBuilder

from agents.maf_internals import (
    CHECKPOINT_ALLOWED_TYPES,
    EXECUTOR_CACHE_KEY,
    EXECUTOR_SESSION_KEY,
    EXECUTOR_STATE_KEY,
    EXECUTOR_TRANSCRIPT_KEY,
    HANDOFF_FUNCTION_RESULT_KEY,
    HANDOFF_TOOL_PREFIX,
    HISTORY_SOURCE_ID,
    capture_checkpoint,
    decode_checkpoint_value,
    encode_checkpoint_value,
    get_handoff_tool_name,
    restore_checkpoint,
    share_lifecycle_event_payloads,
)
from tests.support.scripted import ScriptedChatClient


def test_handoff_tool_names() -> None:
    assert HANDOFF_TOOL_PREFIX == "handoff_to_"
    assert get_handoff_tool_name("inventory-fulfillment") == "handoff_to_inventory-fulfillment"
    assert get_handoff_tool_name("a b.c") == "handoff_to_a_b_c"
    assert HANDOFF_FUNCTION_RESULT_KEY == "handoff_to"


def test_checkpoint_encoding_round_trips_messages_as_json() -> None:
    message = Message("assistant", [Content.from_function_call(call_id="c1", name="f", arguments="{}")])
    encoded = encode_checkpoint_value({"cache": [message]})
    decoded = decode_checkpoint_value(json.loads(json.dumps(encoded)), allowed_types=CHECKPOINT_ALLOWED_TYPES)
    assert isinstance(decoded["cache"][0], Message)
    assert decoded["cache"][0].contents[0].call_id == "c1"


def test_session_history_lives_under_the_history_source_id() -> None:
    assert HISTORY_SOURCE_ID == "in_memory"


def _agent(name: str, script: list) -> Agent:
    return Agent(
        client=ScriptedChatClient(script),
        name=name,
        description=f"{name} agent",
        require_per_service_call_history_persistence=True,
    )


async def test_a_paused_mesh_checkpoint_has_the_executor_state_layout() -> None:
    from agent_framework import InMemoryCheckpointStorage

    storage = InMemoryCheckpointStorage()
    front = _agent("front", [("call", "handoff_to_back")])
    back = _agent("back", ["Answered."])
    builder = HandoffBuilder(participants=[front, back]).with_start_agent(front).with_checkpointing(storage)
    workflow = builder.add_handoff(front, [back]).add_handoff(back, [front]).build()
    async for _ in workflow.run(message="hello", stream=True):
        pass
    checkpoint = await storage.load(workflow.get_last_checkpoint_id())
    executors = checkpoint.to_dict()["state"][EXECUTOR_STATE_KEY]
    assert set(executors) == {"front", "back"}
    front_state = executors["front"]
    # The handoff's result waits at the head of the caller's cache; its call is in the session history.
    cache = front_state[EXECUTOR_CACHE_KEY]
    assert isinstance(cache[0], Message) and cache[0].contents[0].type == "function_result"
    history = AgentSession.from_dict(front_state[EXECUTOR_SESSION_KEY]).state[HISTORY_SOURCE_ID]["messages"]
    assert [c.type for c in history[-1].contents] == ["function_call"]
    assert history[-1].contents[0].call_id == cache[0].contents[0].call_id
    assert isinstance(front_state[EXECUTOR_TRANSCRIPT_KEY], list)


async def test_a_captured_checkpoint_restores_into_a_used_workflow_without_a_storage() -> None:
    """`capture_checkpoint` is what MAF checkpoints at a pause; `restore_checkpoint` replaces all state."""
    from agent_framework.orchestrations import HandoffAgentUserRequest

    front = _agent("front", ["First answer.", "Another answer.", "Second answer."])
    back = _agent("back", [])
    workflow = HandoffBuilder(participants=[front, back]).with_start_agent(front).build()
    requests = [e async for e in workflow.run(message="hello", stream=True) if e.type == "request_info"]
    paused = await capture_checkpoint(workflow)
    assert set(paused.pending_request_info_events) == {requests[0].request_id}
    assert AgentSession.from_dict(paused.state[EXECUTOR_STATE_KEY]["front"][EXECUTOR_SESSION_KEY])

    other = HandoffBuilder(participants=[front, back]).with_start_agent(front).build()
    async for _ in other.run(message="another conversation", stream=True):
        pass
    await restore_checkpoint(other, paused)
    assert set((await capture_checkpoint(other)).state[EXECUTOR_STATE_KEY]) == {"front", "back"}
    reply = HandoffAgentUserRequest.create_response("and then?")
    events = [e async for e in other.run(responses={requests[0].request_id: reply}, stream=True)]
    assert any(e.type == "request_info" for e in events)
    resumed = (await capture_checkpoint(other)).state[EXECUTOR_STATE_KEY]["front"]
    history = AgentSession.from_dict(resumed[EXECUTOR_SESSION_KEY]).state[HISTORY_SOURCE_ID]["messages"]
    assert [m.text for m in history] == ["hello", "First answer.", "and then?", "Second answer."]


def _comparable(checkpoint) -> dict:
    """A checkpoint's content as JSON, without what differs between two captures of one state."""
    value = checkpoint.to_dict()
    for key in ("checkpoint_id", "timestamp", "previous_checkpoint_id"):
        value.pop(key)
    for executor in value["state"][EXECUTOR_STATE_KEY].values():
        executor[EXECUTOR_SESSION_KEY] = AgentSession.from_dict(executor[EXECUTOR_SESSION_KEY]).to_dict()
    return json.loads(json.dumps(encode_checkpoint_value(value), sort_keys=True, default=str))


async def test_capture_holds_what_maf_itself_checkpoints_and_shares_no_list_with_the_workflow() -> None:
    """The copy-free capture equals MAF's own `build_checkpoint` of the same paused workflow, and
    neither a restore nor the next run changes a checkpoint taken before (encode it before the next run)."""
    from agent_framework.orchestrations import HandoffAgentUserRequest

    front = _agent("front", [("call", "handoff_to_back"), "Front again."])
    back = _agent("back", ["Back answered.", ("call", "handoff_to_front")])
    workflow = HandoffBuilder(participants=[front, back]).with_start_agent(front).build()
    requests = [e async for e in workflow.run(message="hello", stream=True) if e.type == "request_info"]
    light = await capture_checkpoint(workflow)
    frozen = _comparable(light)
    assert frozen == _comparable(await workflow._runner.build_checkpoint())

    restored = HandoffBuilder(participants=[front, back]).with_start_agent(front).build()
    await restore_checkpoint(restored, light)
    reply = HandoffAgentUserRequest.create_response("something else")
    async for _ in restored.run(responses={requests[0].request_id: reply}, stream=True):
        pass
    assert _comparable(light) == frozen
    assert _comparable(await capture_checkpoint(restored)) != frozen


def _copy_uses(module) -> list[tuple[str, str]]:
    """(enclosing function, attribute) of every use of the name `copy` in `module`'s source."""
    tree = ast.parse(inspect.getsource(module))
    uses = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "copy":
                    uses.append((function.name, node.attr))
    loads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "copy" and isinstance(n.ctx, ast.Load)]
    assert len(loads) == len(uses), "`copy` is used other than as `copy.<attribute>` inside a function"
    return uses


def test_the_lifecycle_event_copies_are_the_only_uses_of_copy_in_their_modules() -> None:
    """What `share_lifecycle_event_payloads` replaces: the module `copy` of MAF's executor and workflow
    context, used only to snapshot an executor's input (`executor_invoked`) and its yielded outputs."""
    from agent_framework._workflows import _executor, _workflow_context

    assert _copy_uses(_executor) == [("execute", "deepcopy")]
    assert _copy_uses(_workflow_context) == [("yield_output", "deepcopy")]
    assert "invoke_event = WorkflowEvent.executor_invoked(self.id, copy.deepcopy(message))" in inspect.getsource(
        _executor.Executor.execute
    )
    assert "self._yielded_outputs.append(copy.deepcopy(output))" in inspect.getsource(
        _workflow_context.WorkflowContext.yield_output
    )


async def _lifecycle_payloads() -> tuple[list, list, list]:
    """A two-agent mesh's run: the `output` updates, what `executor_completed` carried, what was delivered."""
    front = _agent("front", [("call", "handoff_to_back")])
    back = _agent("back", ["Answered in a few words."])
    workflow = HandoffBuilder(participants=[front, back]).with_start_agent(front).build()
    events = [e async for e in workflow.run(message="hello", stream=True)]
    outputs = [e.data for e in events if e.type == "output"]
    completed = [d for e in events if e.type == "executor_completed" for d in e.data or []]
    invoked = [e.data for e in events if e.type == "executor_invoked"]
    return outputs, completed, invoked


async def test_shared_lifecycle_payloads_are_the_live_objects_and_the_run_is_unchanged(monkeypatch) -> None:
    from agent_framework._workflows import _executor, _workflow_context

    monkeypatch.setattr(_executor, "copy", copy)
    monkeypatch.setattr(_workflow_context, "copy", copy)
    outputs, completed, invoked = await _lifecycle_payloads()
    requests = [i for i in invoked if isinstance(i, AgentExecutorRequest)]
    assert outputs and requests
    assert not any(o is c for o in [*outputs, *requests] for c in completed)

    share_lifecycle_event_payloads()
    assert _executor.copy is not copy and _workflow_context.copy is not copy
    shared_outputs, shared_completed, shared_invoked = await _lifecycle_payloads()
    shared_requests = [i for i in shared_invoked if isinstance(i, AgentExecutorRequest)]
    assert all(any(o is c for c in shared_completed) for o in [*shared_outputs, *shared_requests])
    assert [o.text for o in shared_outputs] == [o.text for o in outputs]
    assert [type(i) for i in shared_invoked] == [type(i) for i in invoked]
