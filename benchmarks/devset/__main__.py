"""`python -m benchmarks.devset [--show]`: score the offline model on both parts of the development set.

`--show` prints the tuning part's misses (reply and what was expected); the held-out part only ever
reports its figures.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from benchmarks.devset import PARTS
from benchmarks.devset.run import Score, score


def _misses(result: Score) -> list[str]:
    lines = []
    for o in result.outcomes:
        if o.routed and (o.stated or not o.turn.checks_facts):
            continue
        lines.append(f"- [{o.conversation}] {o.turn.say!r}")
        lines.append(f"    expected {'/'.join(o.turn.expect)} with {[list(f) for f in o.turn.facts]}")
        lines.append(f"    got {' -> '.join(o.route)}: {o.reply!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.devset", description=__doc__)
    parser.add_argument("--show", action="store_true", help="print the tuning part's misses")
    parser.add_argument("--part", choices=PARTS, action="append", help="only this part (repeatable)")
    parser.add_argument("--only", metavar="ID", help="only the tuning conversation with this id")
    args = parser.parse_args(argv)
    scores = asyncio.run(score(args.part or PARTS, only=args.only))
    for result in scores:
        if args.show and result.part == "tuning":
            print("\n".join(_misses(result)))
    for result in scores:
        print(result.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
