"""Benchmarks: the handoff mesh over A2A, the same mesh in-process, and the router-tool baseline it replaced."""

import agents  # noqa: F401  (before a2a-sdk: its tracing switch, see agents/__init__.py)
