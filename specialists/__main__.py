"""`python -m specialists serve NAME` runs one specialist; `python -m specialists seed` prepares the store."""

from __future__ import annotations

import argparse
import asyncio
import sys
from urllib.parse import urlsplit

import uvicorn

from agents.database import pool_options
from agents.definitions import SPECIALIST_NAMES
from agents.logs import configure_logging, uvicorn_log_level
from agents.settings import Settings, die_on_bad_settings
from agents.telemetry import start_telemetry
from specialists.service import build_specialist_app
from specialists.store.database import open_store


async def serve(name: str, settings: Settings, host: str | None, port: int | None) -> None:
    """Open the store, build the service and run it until SIGINT/SIGTERM.

    The card advertises the configured `<NAME>_URL` (a balancer, a compose service name, an ingress),
    whatever address this replica binds: callers reach every replica through that one URL.
    """
    public_url = settings.specialist_urls()[name]
    port = port or urlsplit(public_url).port or 80
    telemetry = start_telemetry(name, sensitive_data=settings.enable_sensitive_data)
    store = await open_store(settings.database_url, **pool_options(settings))
    try:
        app = await build_specialist_app(name, settings, store, base_url=public_url)
        telemetry.instrument_app(app)
        config = uvicorn.Config(
            app,
            host=host or settings.specialist_host,
            port=port,
            log_level=uvicorn_log_level(settings),
            timeout_graceful_shutdown=10,
        )
        await uvicorn.Server(config).serve()
    finally:
        await store.close()


async def seed(settings: Settings) -> None:
    """Create the store's tables and load the seed into an empty database."""
    store = await open_store(settings.database_url)
    await store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m specialists")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run one specialist A2A service")
    run.add_argument("name", choices=SPECIALIST_NAMES)
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    commands.add_parser("seed", help="create the store and load the seed if it is empty")
    args = parser.parse_args(argv)
    settings = die_on_bad_settings()
    configure_logging(settings)
    if args.command == "seed":
        asyncio.run(seed(settings))
        print(f"store ready at {settings.database_url}")
        return 0
    asyncio.run(serve(args.name, settings, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
