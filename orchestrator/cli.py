"""The `ecommerce-agents` command: run the system, one service, a terminal chat, or mint a dev token."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

import httpx

from agents.errors import exit_on_bad_settings
from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from agents.logs import configure_logging
from agents.settings import Settings, get_settings


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="ecommerce-agents", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start the five specialists and the orchestrator; Ctrl-C stops them all")
    commands.add_parser("migrate", help="create or upgrade the database schema; load the seed into an empty store")
    serve = commands.add_parser("orchestrator", help="run the orchestrator with the storefront chat API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    spec = commands.add_parser("specialist", help="run one specialist A2A service")
    spec.add_argument("name")
    spec.add_argument("--host", default=None)
    spec.add_argument("--port", type=int, default=None)
    spec.add_argument("--grpc-port", type=int, default=None)
    chat = commands.add_parser("chat", help="chat with a running system from the terminal")
    chat.add_argument("--as", dest="customer", metavar="CUSTOMER_ID", help="sign in as a seeded customer")
    chat.add_argument("--url", default=None, help="chat API base URL (default: from settings)")
    token = commands.add_parser("token", help="print a development shopper token")
    token.add_argument("customer_id")
    args = parser.parse_args(argv)
    with exit_on_bad_settings():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    configure_logging(settings)
    if args.command == "up":
        from orchestrator.supervisor import Supervisor

        return Supervisor(settings).run()
    if args.command == "orchestrator":
        from orchestrator.__main__ import serve_api

        return serve_api(settings, args.host, args.port)
    if args.command == "migrate":
        os.execv(sys.executable, [sys.executable, "-m", "specialists", "migrate"])
    if args.command == "specialist":
        options = (("--host", args.host), ("--port", args.port), ("--grpc-port", args.grpc_port))
        extra = [a for pair in options if pair[1] for a in map(str, pair)]
        os.execv(sys.executable, [sys.executable, "-m", "specialists", "serve", args.name, *extra])
    if args.command == "token":
        print(_shopper_codec(settings).mint(STOREFRONT_AUDIENCE, args.customer_id, settings.shopper_token_ttl_s))
        return 0
    url = args.url or f"http://127.0.0.1:{settings.api_port}"
    token_value = (
        _shopper_codec(settings).mint(STOREFRONT_AUDIENCE, args.customer, settings.shopper_token_ttl_s)
        if args.customer
        else None
    )
    return run_chat(url, token_value)


def _shopper_codec(settings: Settings) -> TokenCodec:
    return TokenCodec(settings.storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)


def run_chat(base_url: str, token: str | None, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """A terminal chat: shows who speaks and each handoff as it happens, streamed."""
    headers = {"accept": "text/event-stream"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conversation_id = None
    print("Type your question (empty line or Ctrl-D to quit).", file=out)
    with httpx.Client(base_url=base_url, headers=headers, timeout=httpx.Timeout(10, read=180)) as client:
        while True:
            print("you> ", end="", file=out, flush=True)
            line = stdin.readline()
            if not line.strip():
                return 0
            try:
                conversation_id = _stream_turn(client, line.strip(), conversation_id, out)
            except httpx.HTTPError as exc:
                print(f"[cannot reach the chat API at {base_url}: {exc}]", file=out)
                return 1


def _stream_turn(client: httpx.Client, text: str, conversation_id: str | None, out: TextIO) -> str | None:
    body = {"message": text, "conversation_id": conversation_id}
    with client.stream("POST", "/api/chat", json=body) as response:
        if response.status_code != 200:
            response.read()
            print(f"[{response.status_code}] {response.json().get('message')}", file=out)
            return conversation_id
        event = "message"
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                data = json.loads(line.removeprefix("data:").strip())
                conversation_id = _show(event, data, out) or conversation_id
    print(file=out)
    return conversation_id


def _show(event: str, data: dict[str, Any], out: TextIO) -> str | None:
    if event == "agent":
        print(f"\n[{data['agent']}] ", end="", file=out, flush=True)
    elif event == "delta":
        print(data["text"], end="", file=out, flush=True)
    elif event == "handoff":
        print(f"\n  -> handoff {data['source']} -> {data['target']}", end="", file=out, flush=True)
    elif event == "error":
        print(f"\n[error] {data['message']}", end="", file=out, flush=True)
    elif event == "done":
        usage = data["usage"]
        print(f"\n  ({usage['llm_calls']} model calls, route: {' -> '.join(data['route'])})", end="", file=out)
    else:
        return None
    conversation_id: str | None = data.get("conversation_id")
    return conversation_id


if __name__ == "__main__":
    sys.exit(main())
