"""The hostile mix's core, small: it reaches every kind of answer and finds no 5xx, drop or cut stream."""

from agents.identity import STOREFRONT_ISSUER, TokenCodec
from benchmarks.hostile import fire
from orchestrator.api import create_api
from tests.support.servers import serving
from tests.support.system import running_system, system_settings


async def test_a_small_hostile_mix_gets_only_clear_answers(tmp_path):
    settings = system_settings(tmp_path)
    codec = TokenCodec(settings.storefront_token_secret.get_secret_value(), STOREFRONT_ISSUER)
    async with running_system(settings) as system, serving(create_api(settings, system.service)) as url:
        tally = await fire(url, codec, requests=40, concurrency=4)
    assert tally.requests == 40, "exactly the requested number of requests"
    assert tally.server_errors == 0 and not tally.dropped and tally.cut_streams == 0, tally.report()
    assert {200, 415, 422} <= set(tally.statuses), tally.report()
    assert "responses >= 500: 0" in tally.report()
