"""Logging of every process, at the level the `LOG_LEVEL` setting names (in any case)."""

from __future__ import annotations

import logging

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
