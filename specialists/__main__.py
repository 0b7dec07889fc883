"""`python -m specialists serve NAME` runs one specialist; `python -m specialists migrate` prepares the database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy.engine import make_url

from agents.database import create_engine, pool_options
from agents.definitions import SPECIALIST_NAMES
from agents.errors import exit_on_bad_settings
from agents.logs import configure_logging, uvicorn_options
from agents.migrations import SchemaBehind
from agents.models import build_chat_client, close_chat_client
from agents.settings import Settings, get_settings
from agents.telemetry import setup_telemetry
from specialists.service import build_specialist_app
from specialists.store.database import open_store, prepare_store


async def serve(name: str, settings: Settings, host: str | None, port: int | None, grpc_port: int | None) -> None:
    """Open the store, build the service and run it until SIGINT/SIGTERM.

    The card advertises the configured `<NAME>_URL` (a balancer, a compose service name, an ingress),
    whatever address this replica binds: callers reach every replica through that one URL. So does
    its gRPC binding (`<NAME>_GRPC_URL`, bound at `--grpc-port` or that URL's port) unless `A2A_GRPC=false`.
    """
    public_url = settings.specialist_urls()[name]
    port = port or urlsplit(public_url).port or 80
    host = host or settings.specialist_host
    grpc_url = settings.specialist_grpc_urls().get(name)
    grpc_bind = f"{host}:{grpc_port or urlsplit('//' + grpc_url).port}" if grpc_url else None
    telemetry = setup_telemetry(name, sensitive_data=settings.enable_sensitive_data)
    model = build_chat_client(settings)
    store = await open_store(settings.database_url, migrate=False, **pool_options(settings))
    try:
        app = await build_specialist_app(
            name, settings, store, base_url=public_url, chat_client=model, grpc_bind=grpc_bind
        )
        telemetry.instrument_app(app)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            **uvicorn_options(settings),
        )
        await uvicorn.Server(config).serve()
    finally:
        await close_chat_client(model)
        await store.close()


async def migrate(settings: Settings) -> str:
    """Create or upgrade the schema and load the seed into an empty store; says what it did."""
    engine = create_engine(settings.database_url)
    try:
        before, now = await prepare_store(engine)
    finally:
        await engine.dispose()
    done = "already at" if before == now else f"migrated from {before or 'empty'} to"
    return f"schema {done} {now}; store ready at {make_url(settings.database_url).render_as_string()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m specialists")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run one specialist A2A service")
    run.add_argument("name", choices=SPECIALIST_NAMES)
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    run.add_argument("--grpc-port", type=int, help="port of the A2A gRPC binding (default: <NAME>_GRPC_URL's)")
    commands.add_parser("migrate", help="create or upgrade the schema; load the seed into an empty store")
    args = parser.parse_args(argv)
    with exit_on_bad_settings():
        settings = get_settings()
        configure_logging(settings)
        if args.command == "migrate":
            print(asyncio.run(migrate(settings)))
            return 0
        try:
            asyncio.run(serve(args.name, settings, args.host, args.port, args.grpc_port))
        except SchemaBehind as exc:
            print(f"{args.name}: {exc}", file=sys.stderr)
            return 3
        return 0


if __name__ == "__main__":
    sys.exit(main())
