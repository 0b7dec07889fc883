"""`python -m tests.support.chat_double --port N [--routes FILE]`: the double as a process of its own.

For whoever drives a whole system against it from outside (the benchmarks start it this way and talk to it
over HTTP only). `--routes` is a JSON object of shopper messages and the agent that owns each; without it
the offline model decides everything. `GET /double/stats` reports the requests seen per agent and every
request the double rejected; `GET /healthz` answers once it serves. Runs until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse

from tests.support.chat_double.brain import OfflineBrain
from tests.support.chat_double.routing import routed
from tests.support.chat_double.server import ChatDouble

STATS_PATH = "/double/stats"


def stats(double: ChatDouble) -> dict[str, object]:
    """What the double has seen: requests per agent, and each violation (agent, rule, message)."""
    return {
        "requests": len(double.requests),
        "by_agent": dict(Counter(r.agent for r in double.requests)),
        "violations": [{"agent": r.agent, "rule": v.rule, "message": v.message} for r, v in double.violations],
    }


def build(routes: dict[str, str] | None) -> ChatDouble:
    """The double answering with the offline model, routed by `routes` when given."""
    brain = OfflineBrain()
    return ChatDouble(routed(routes, brain) if routes is not None else brain)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.chat_double", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--routes", type=Path, help="JSON object: shopper message -> the agent that owns it")
    args = parser.parse_args(argv)
    double = build(json.loads(args.routes.read_text()) if args.routes else None)
    app = double.app()

    async def report(_request: Request) -> JSONResponse:
        return JSONResponse(stats(double))

    async def healthy(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    app.add_route(STATS_PATH, report, methods=["GET"])
    app.add_route("/healthz", healthy, methods=["GET"])
    double.base_url = f"http://{args.host}:{args.port}"
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
