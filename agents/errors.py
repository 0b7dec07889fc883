"""The project's exceptions share one base, so a caller can catch every failure this code raises on purpose.

    EcommerceAgentsError
    ├── SettingsError               a setting is missing or invalid (agents.settings)
    │   └── TelemetryError          an OTEL_* variable asks for something unsupported (agents.telemetry)
    ├── SchemaBehind                the database's schema is not the one the code needs (agents.migrations)
    ├── TokenError                  a token is missing, forged, expired or not for us (agents.identity)
    ├── UnknownProductError         SKUs not in the catalog; also a LookupError (specialists.store.catalog)
    ├── ToolError                   ends a tool call with its answer (specialists.tools.common)
    ├── ConversationNotFound        also a LookupError (orchestrator.conversation_store)
    ├── ConversationBusy            the conversation is answering another message
    ├── LeaseLost                   another turn took this turn's lease
    ├── StoreUnavailable            the conversation store can't be reached or written
    ├── WorkflowFailed              the mesh's workflow failed or stopped without pausing (orchestrator.turns)
    └── StartupFailed               a service of `ecommerce-agents up` did not come up (orchestrator.supervisor)

Library code raises them; only the entry points (the `ecommerce-agents` command, `python -m orchestrator`,
`python -m specialists`) turn one into an exit code: `exit_on_bad_settings` for settings.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_BAD_SETTINGS = 2


class EcommerceAgentsError(Exception):
    """Base of every exception this project raises on purpose."""


class SettingsError(EcommerceAgentsError):
    """A setting is missing or invalid; its message names the variable, one line per problem."""


@contextmanager
def exit_on_bad_settings() -> Iterator[None]:
    """For entry points only: a `SettingsError` inside prints its message to stderr and exits 2."""
    try:
        yield
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        raise SystemExit(EXIT_BAD_SETTINGS) from None
