"""`python -m benchmarks.scaleout`: 100 concurrent conversations, one replica of everything vs two, behind haproxy.

Both setups run on a fresh PostgreSQL database behind the same real haproxy, so the only difference
is the number of replicas: one orchestrator and one replica of each specialist, then two of each.
Prints turns/s, p50/p95 latency and errors side by side and writes the figures to
`benchmarks/results/scaleout-latest.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from agents.definitions import SPECIALIST_NAMES
from agents.identity import STOREFRONT_ISSUER, TokenCodec
from benchmarks.load import load_level
from benchmarks.models import OFFLINE_TITLE
from benchmarks.processes import free_port
from benchmarks.report import RESULTS_DIR
from benchmarks.topology import ORCHESTRATORS, haproxy_path, scaled_out, temporary_postgres_database

DEFAULT_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def measure(server_url: str, replicas: int, concurrency: int, turns: int, delay_ms: float) -> dict[str, Any]:
    """Start `replicas` of every service behind haproxy on a new database; run the load once warmed up."""
    async with temporary_postgres_database(server_url) as database_url:
        with tempfile.TemporaryDirectory(prefix="scaleout-") as workdir:
            counts = {ORCHESTRATORS: replicas, **dict.fromkeys(SPECIALIST_NAMES, replicas)}
            with scaled_out(Path(workdir), database_url, counts, free_port, delay_ms) as system:
                labels = [system.start(service, i) for service in counts for i in range(1, replicas + 1)]
                system.wait_healthy(*labels)
                codec = TokenCodec(system.env["STOREFRONT_TOKEN_SECRET"], STOREFRONT_ISSUER)
                await load_level(system.api_url, 2, 1, codec)  # warm-up: cards fetched, pools open
                result = await load_level(system.api_url, concurrency, turns, codec)
                result["a2a_calls_per_replica"] = {s: system.balancer.answered_by_replica(s) for s in counts}
    result["replicas"] = replicas
    result["processes"] = replicas * (1 + len(SPECIALIST_NAMES))
    return result


def render(rows: list[dict[str, Any]], delay_ms: float) -> str:
    """The side-by-side table."""
    lines = [
        f"{rows[0]['concurrency']} concurrent conversations, {rows[0]['turns']} turns, "
        f"{OFFLINE_TITLE} at {delay_ms:g} ms/token, PostgreSQL, haproxy",
        f"{'setup':<34}{'turns/s':>9}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}",
    ]
    for row in rows:
        setup = f"{row['replicas']} replica(s) of each ({row['processes']} processes)"
        lines.append(
            f"{setup:<34}{row['turns_per_s']:>9.1f}{row['p50_ms']:>10,.0f}{row['p95_ms']:>10,.0f}{row['errors']:>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaleout", description=__doc__)
    parser.add_argument("--postgres", default=DEFAULT_SERVER, help=f"server to create databases on ({DEFAULT_SERVER})")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--turns", type=int, default=1, help="turns of each conversation (default 1)")
    parser.add_argument("--delay-ms", type=float, default=20.0, help="per-token model delay (default 20)")
    args = parser.parse_args(argv)
    if haproxy_path() is None:
        print("haproxy is not installed (apt-get install haproxy)", file=sys.stderr)
        return 2
    rows = [
        asyncio.run(measure(args.postgres, replicas, args.concurrency, args.turns, args.delay_ms))
        for replicas in (1, 2)
    ]
    print(render(rows, args.delay_ms))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "scaleout-latest.json"
    path.write_text(json.dumps({"delay_ms": args.delay_ms, "setups": rows}, indent=1))
    print(f"\nfigures: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
