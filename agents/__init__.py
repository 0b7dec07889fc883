"""Shared building blocks of every agent process: settings, model clients, agent definitions,
the A2A handoff extension contract and shopper identity tokens.

Importing it switches a2a-sdk's own tracing off unless `OTEL_INSTRUMENTATION_A2A_SDK_ENABLED` says
otherwise. The SDK reads that variable once, when it is imported, and otherwise wraps every call of its
request handler, event queue and transports in a span (over a hundred per A2A request). Those spans are
left out of exported traces unless asked for (`agents.telemetry`), so they are not made either.
The packages that import a2a-sdk import this first.
"""

import os

os.environ.setdefault("OTEL_INSTRUMENTATION_A2A_SDK_ENABLED", "false")
