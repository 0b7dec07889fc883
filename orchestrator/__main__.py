"""`python -m orchestrator serve`: the orchestrator with the storefront chat API."""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from agents.database import create_engine
from agents.errors import exit_on_bad_settings
from agents.logs import configure_logging, uvicorn_options
from agents.migrations import SchemaBehind, require_current
from agents.settings import Settings, get_settings
from agents.telemetry import setup_telemetry


async def _schema_problem(settings: Settings) -> str | None:
    engine = create_engine(settings.database_url)
    try:
        await require_current(engine)
    except SchemaBehind as exc:
        return str(exc)
    finally:
        await engine.dispose()
    return None


def serve_api(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    """Run the chat API with uvicorn until SIGINT/SIGTERM (graceful shutdown); exit 3 if the schema is behind."""
    from orchestrator.api import create_api

    problem = asyncio.run(_schema_problem(settings))
    if problem:
        print(f"orchestrator: {problem}", file=sys.stderr)
        return 3

    telemetry = setup_telemetry("orchestrator", sensitive_data=settings.enable_sensitive_data)
    app = create_api(settings)
    telemetry.instrument_app(app)
    uvicorn.run(
        app,
        host=host or settings.api_host,
        port=port or settings.api_port,
        **uvicorn_options(settings),
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestrator")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the orchestrator and its chat API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    with exit_on_bad_settings():
        settings = get_settings()
        configure_logging(settings)
        return serve_api(settings, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
