"""Logging of every process at the level `LOG_LEVEL` names (in any case), and how its uvicorn server runs."""

from __future__ import annotations

import logging
from typing import TypedDict

from agents.settings import Settings

LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Send the root logger's records to stderr at `settings.log_level`; httpx's request lines only at DEBUG."""
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    if settings.log_level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)


def uvicorn_log_level(settings: Settings) -> str:
    """The same level in uvicorn's spelling."""
    return settings.log_level.lower()


# A replica keeps an idle connection open longer than a balancer keeps it pooled (haproxy, nginx and
# cloud balancers idle out within a minute), so it is the balancer that closes it: a request is never
# sent on a connection the replica is closing at that moment.
KEEP_ALIVE_S = 75


class UvicornOptions(TypedDict):
    """The keyword arguments of `uvicorn.Config` every service sets."""

    log_level: str
    timeout_keep_alive: int
    timeout_graceful_shutdown: int


def uvicorn_options(settings: Settings) -> UvicornOptions:
    """How every service's uvicorn server runs: the settings' log level, balancer-friendly keep-alive."""
    return {
        "log_level": uvicorn_log_level(settings),
        "timeout_keep_alive": KEEP_ALIVE_S,
        "timeout_graceful_shutdown": 10,
    }
