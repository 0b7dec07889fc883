"""What the orchestrator service closes when it stops."""

import respx
from agent_framework.openai import OpenAIChatCompletionClient
from openai import AsyncOpenAI

from agents.definitions import SPECIALIST_NAMES
from agents.settings import Settings
from orchestrator.service import start_orchestrator
from tests.support.databases import migrated


async def test_the_orchestrator_closes_the_model_client_it_built_and_not_one_it_was_given(tmp_path):
    urls = {f"{n.replace('-', '_')}_url": f"http://{n}.test" for n in SPECIALIST_NAMES}
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/orchestrator.db",
        model_provider="openai",
        openai_api_key="sk-test",
        **urls,
    )
    await migrated(settings.database_url)
    with respx.mock(assert_all_called=False):  # no specialist is up
        built = await start_orchestrator(settings)
        given = OpenAIChatCompletionClient(model="m", async_client=AsyncOpenAI(api_key="sk-test"))
        passed = await start_orchestrator(settings, chat_client=given)
        await built.close()
        await passed.close()
    assert built.own_model is not None and built.own_model.client.is_closed()  # type: ignore[attr-defined]
    assert not given.client.is_closed(), "the caller closes what it passed in"
    await given.client.close()
