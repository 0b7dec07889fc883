"""Draw one shopper turn's trace as a waterfall: `.venv/bin/python -m docs.trace_picture docs/trace.png`.

Runs `up` with tracing on against the loopback OTLP receiver of the tests, plays a stock question and
an out-of-domain follow-up, and draws the follow-up's trace (hand back, route, second specialist) the
way a trace viewer shows it, as HTML that headless Chromium turns into a PNG. MAF's internal
message and edge spans, connection checkouts and executors that did nothing are left out.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from benchmarks.processes import running_up
from tests.support.otlp import ReceivedSpan, otlp_receiver, traced_env

ASKS = ("Is the TrailPeak 2 tent in stock?", "Is TRAIL20 valid for the TrailPeak 2 tent?")
HIDDEN = ("edge_group.process", "message.send", "connect", "workflow.build")
COLOURS = {
    "orchestrator": "#4e79a7",
    "inventory-fulfillment": "#59a14f",
    "pricing-promotions": "#f28e2b",
    "product-discovery": "#b07aa1",
    "review-sentiment": "#e15759",
    "order-management": "#76b7b2",
}
ROW_PX, LABEL_PX, BAR_PX = 22, 640, 720


def collect() -> list[ReceivedSpan]:
    """The spans of the second turn's trace."""
    with tempfile.TemporaryDirectory() as workdir, otlp_receiver() as receiver:
        env = traced_env(os.environ, receiver, workdir, "picture-secret-0123456789abcdef0123456789")
        with running_up(env, Path(workdir)) as system, httpx.Client(base_url=system.api_url, timeout=60) as api:
            conversation = None
            for ask in ASKS:
                answer = api.post("/api/chat", json={"message": ask, "conversation_id": conversation}).json()
                conversation = answer["conversation_id"]
            receiver.wait_for(lambda r: sum(s.name == "POST /api/chat" for s in r.spans) >= 2)
        turn = next(s for s in receiver.spans if s.name == "shopper turn" and s.attributes.get("ecommerce.turn") == 2)
        return [s for s in receiver.spans if s.trace_id == turn.trace_id]


def rows(spans: list[ReceivedSpan]) -> list[tuple[int, ReceivedSpan]]:
    """(depth, span) in tree order, children by start time, uninteresting spans left out."""
    children: dict[str, list[ReceivedSpan]] = {}
    for span in spans:
        children.setdefault(span.parent_id, []).append(span)

    def shown(span: ReceivedSpan) -> bool:
        idle_executor = span.name.startswith("executor.process") and not children.get(span.span_id)
        return not span.name.startswith(HIDDEN) and not idle_executor

    out: list[tuple[int, ReceivedSpan]] = []

    def walk(span: ReceivedSpan, depth: int) -> None:
        out.append((depth, span))
        for child in sorted(children.get(span.span_id, []), key=lambda s: s.start_ns):
            if shown(child):
                walk(child, depth + 1)

    for root in children.get("", []):
        walk(root, 0)
    return out


def label(span: ReceivedSpan) -> str:
    if "db.statement" in span.attributes:
        statement = " ".join(str(span.attributes["db.statement"]).split())
        return f"SQL {statement[:48]}"
    if span.name.startswith("handoff"):
        return f"{span.name}: {span.attributes.get('handoff.reason', '')}"
    return span.name


def render(spans: list[ReceivedSpan]) -> str:
    ordered = rows(spans)
    start = min(s.start_ns for _, s in ordered)
    total = max(s.end_ns for _, s in ordered) - start
    lines = []
    for depth, span in ordered:
        left = (span.start_ns - start) / total * BAR_PX
        width = max((span.end_ns - span.start_ns) / total * BAR_PX, 2)
        colour = COLOURS.get(span.service, "#999")
        ms = (span.end_ns - span.start_ns) / 1e6
        lines.append(
            f'<div class="row"><div class="label" style="padding-left:{8 + depth * 12}px">'
            f'<span class="dot" style="background:{colour}"></span>{html.escape(label(span))}</div>'
            f'<div class="lane"><div class="bar" style="left:{left:.1f}px;width:{width:.1f}px;background:{colour}">'
            f'</div><span class="ms" style="left:{left + width + 4:.1f}px">{ms:.1f} ms</span></div></div>'
        )
    legend = "".join(
        f'<span><span class="dot" style="background:{c}"></span>{n}</span>'
        for n, c in COLOURS.items()
        if any(s.service == n for _, s in ordered)
    )
    return f"""<!doctype html><meta charset="utf-8"><style>
body {{ font: 12px/1.2 "DejaVu Sans Mono", monospace; margin: 12px; color: #222; background: #fff; }}
h1 {{ font-size: 14px; margin: 0 0 6px; }} .legend span {{ margin-right: 16px; }}
.row {{ display: flex; height: {ROW_PX}px; align-items: center; border-bottom: 1px solid #eee; }}
.label {{ width: {LABEL_PX}px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.lane {{ position: relative; width: {BAR_PX + 90}px; height: 100%; }}
.bar {{ position: absolute; top: 5px; height: 12px; border-radius: 2px; }}
.ms {{ position: absolute; top: 5px; color: #555; font-size: 11px; }}
.dot {{ display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }}
</style><h1>One shopper turn, one trace: "{html.escape(ASKS[1])}" ({total / 1e6:.0f} ms,
{len({s.service for s in spans})} services, {len(spans)} spans)</h1>
<div class="legend">{legend}</div>{"".join(lines)}"""


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/trace.png").resolve()
    page = render(collect())
    rows_count = page.count('class="row"')
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "trace.html"
        html_path.write_text(page)
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--screenshot={out}",
                f"--window-size={LABEL_PX + BAR_PX + 130},{rows_count * (ROW_PX + 1) + 70}",
                html_path.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
