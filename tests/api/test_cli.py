"""The terminal chat and the development token command, against the API over real HTTP."""

import asyncio
import io

from agents.identity import STOREFRONT_AUDIENCE, STOREFRONT_ISSUER, TokenCodec
from agents.settings import load_settings
from orchestrator.api import create_api
from orchestrator.cli import main, run_chat
from tests.support.servers import serving


async def test_chat_streams_who_speaks_and_each_handoff(system, settings):
    token = system.shopper_token("CUST-001")
    typed = io.StringIO("Where is my order ORD-1001?\nIs OUT-300 in stock?\n\n")
    shown = io.StringIO()
    async with serving(create_api(settings, system.service)) as url:
        code = await asyncio.to_thread(run_chat, url, token, typed, shown)
    out = shown.getvalue()
    assert code == 0
    assert "-> handoff orchestrator -> order-management" in out
    assert "[order-management] ORD-1001" in out and "PA1001347044" in out
    assert "-> handoff order-management -> orchestrator" in out
    assert "[inventory-fulfillment]" in out and "WH-WEST" in out
    assert "route: order-management -> orchestrator -> inventory-fulfillment" in out


async def test_chat_reports_an_unreachable_api():
    shown = io.StringIO()
    code = await asyncio.to_thread(run_chat, "http://127.0.0.1:9", None, io.StringIO("hi\n"), shown)
    assert code == 1
    assert "cannot reach the chat API" in shown.getvalue()


def test_token_prints_a_shopper_token(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["token", "CUST-002"]) == 0
    token = capsys.readouterr().out.strip()
    codec = TokenCodec(load_settings().storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)
    assert codec.verify(token, STOREFRONT_AUDIENCE).customer_id == "CUST-002"
