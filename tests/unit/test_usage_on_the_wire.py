"""Usage crosses the A2A line in a protobuf `Struct` (numbers are doubles) and comes back as ints."""

from google.protobuf.json_format import MessageToDict, ParseDict
from google.protobuf.struct_pb2 import Struct

from agents.handoff_extension import USAGE_KEY, parse_usage
from agents.run_context import ModelUsage


def test_counts_come_back_as_the_ints_they_were():
    sent = ModelUsage(llm_calls=3, input_tokens=2**40 + 1, output_tokens=40)
    received = MessageToDict(ParseDict({USAGE_KEY: sent.as_dict()}, Struct()))
    assert isinstance(received[USAGE_KEY]["llm_calls"], float)
    usage = parse_usage(received)
    assert usage == sent
    assert all(type(v) is int for v in usage.as_dict().values())


def test_a_count_that_is_no_whole_number_counts_zero():
    usage = parse_usage({USAGE_KEY: {"llm_calls": "x", "input_tokens": -3.0, "output_tokens": 1.5}})
    assert usage == ModelUsage()
    assert parse_usage({USAGE_KEY: "nothing"}) == ModelUsage() == parse_usage(None)
