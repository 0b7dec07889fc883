"""The orchestrator service: the handoff mesh, the A2A proxies, conversations and the storefront chat API."""

import agents  # noqa: F401  (before a2a-sdk: its tracing switch, see agents/__init__.py)
