"""`python -m benchmarks [--quick]`: measure the three setups side by side, print the table, write the JSON."""

from __future__ import annotations

import argparse
import logging
import sys

from agents.telemetry import setup_telemetry
from benchmarks.report import build_rows, render, write_json
from benchmarks.run import Plan, run

DEFAULT_DELAY_MS = 20.0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer turns and rounds: under two minutes on 2 cores")
    parser.add_argument(
        "--delay-ms",
        type=float,
        default=DEFAULT_DELAY_MS,
        help=f"the realistic per-token model delay (default {DEFAULT_DELAY_MS:g})",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    setup_telemetry("benchmarks")  # the in-process setups run MAF as the services do
    results = run(Plan.make(args.quick, args.delay_ms))
    print(render(build_rows(results)))
    print(f"\nfigures: {write_json(results)}  (took {results['meta']['duration_s']:.0f} s)")
    if failures := results["meta"]["start_failures"]:
        print("services that failed to start and were restarted:", *failures, sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
