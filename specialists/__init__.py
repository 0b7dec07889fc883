"""The five specialist services, the generic A2A host that serves them, and the store."""

import agents  # noqa: F401  (before a2a-sdk: its tracing switch, see agents/__init__.py)
