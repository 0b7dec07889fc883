"""The web chat page in a real headless Chromium against the real system (specialists on loopback)."""

import asyncio

import httpx
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from orchestrator.api import create_api
from orchestrator.turns import TURN_FAILED
from tests.support.browser import headless_chromium
from tests.support.scripted import ScriptedChatClient
from tests.support.servers import serving
from tests.support.system import System, running_system, system_settings

INV, ORDERS = "inventory-fulfillment", "order-management"
WAIT_S = 60


def _wait(driver: WebDriver, condition, message: str):
    return WebDriverWait(driver, WAIT_S).until(lambda d: condition(d), message)


def _open(driver: WebDriver, url: str) -> None:
    driver.get(url)
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "page ready")


def _ask(driver: WebDriver, text: str) -> None:
    """Type a message and press Enter (keyboard only); wait until the turn's usage line shows it ended."""
    answered = len(driver.find_elements(By.CSS_SELECTOR, ".usage, .notice.error"))
    box = driver.find_element(By.ID, "message")
    box.send_keys(text, Keys.ENTER)
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".usage, .notice.error")) > answered, "answer")


def _messages(driver: WebDriver) -> list[tuple[str, str]]:
    return [
        (m.get_attribute("data-author"), m.find_element(By.CLASS_NAME, "body").text)
        for m in driver.find_elements(By.CSS_SELECTOR, ".message")
    ]


def _flow(driver: WebDriver) -> list[str]:
    """The transcript top to bottom: `shopper`/agent names for messages, `a -> b` for handoffs."""
    items = []
    for node in driver.find_elements(By.CSS_SELECTOR, ".message, .handoff"):
        if "handoff" in node.get_attribute("class"):
            items.append(f"{node.get_attribute('data-source')} -> {node.get_attribute('data-target')}")
        else:
            items.append(node.get_attribute("data-author"))
    return items


def _anonymous_stock_question(driver: WebDriver, url: str) -> None:
    _open(driver, url)
    assert driver.find_element(By.ID, "who").text == "Browsing anonymously"
    _ask(driver, "Is the TrailPeak 2 tent in stock?")
    assert _flow(driver) == ["shopper", f"orchestrator -> {INV}", INV]
    handoff = driver.find_element(By.CSS_SELECTOR, ".handoff")
    assert "orchestrator" in handoff.text and INV in handoff.text
    author, answer = _messages(driver)[-1]
    assert author == INV and "3 in stock" in answer and "WH-WEST" in answer
    shown_author = driver.find_elements(By.CSS_SELECTOR, ".message .author")[-1].text
    assert shown_author == INV, "every message shows who is speaking"
    usage = driver.find_element(By.CSS_SELECTOR, ".usage").text
    assert "model calls" in usage and "tokens in" in usage
    log = driver.find_element(By.ID, "transcript")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert driver.find_element(By.CSS_SELECTOR, ".message.agent").get_attribute("aria-busy") is None


def _sign_in_and_ask_about_an_order(driver: WebDriver) -> str:
    picker = Select(driver.find_element(By.ID, "customer"))
    assert "Maya Chen (CUST-001)" in [o.text for o in picker.options]
    assert driver.find_element(By.CSS_SELECTOR, "label[for=customer]").text.startswith("Sign in as")
    driver.find_element(By.ID, "customer").send_keys("Maya")  # keyboard only: type to pick, Tab, Enter
    assert picker.first_selected_option.get_attribute("value") == "CUST-001"
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.text == "Sign in"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    _wait(driver, lambda d: d.find_element(By.ID, "who").text == "Signed in as Maya Chen (CUST-001)", "signed in")
    assert _messages(driver) == [], "a new identity starts a new conversation"
    _ask(driver, "Where is my order ORD-1001?")
    assert _flow(driver) == ["shopper", f"orchestrator -> {ORDERS}", ORDERS]
    author, answer = _messages(driver)[-1]
    assert author == ORDERS and "shipped" in answer and "PA1001347044" in answer
    return driver.execute_script("return localStorage.getItem('ecommerce-agents.conversation')")


def _reload_shows_the_conversation(driver: WebDriver) -> None:
    driver.refresh()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "reloaded")
    assert driver.find_element(By.ID, "who").text == "Signed in as Maya Chen (CUST-001)"
    messages = _messages(driver)
    assert messages[0] == ("shopper", "Where is my order ORD-1001?")
    assert messages[1][0] == ORDERS and "PA1001347044" in messages[1][1]


def _busy_conversation_reads_as_a_message(driver: WebDriver) -> None:
    _ask(driver, "And when will it arrive?")
    notice = driver.find_elements(By.CSS_SELECTOR, ".notice.error")[-1]
    assert notice.get_attribute("role") == "alert"
    assert "still answering a previous message" in notice.text


def _apology_reads_as_a_message(driver: WebDriver) -> None:
    _ask(driver, "Is the TrailPeak 2 tent in stock?")
    author, answer = _messages(driver)[-1]
    assert author == INV and "Sorry, I can't reach our inventory fulfillment team" in answer


def _failed_turn_reads_as_a_message(driver: WebDriver, url: str) -> None:
    _open(driver, url)
    _ask(driver, "Hello?")
    notice = driver.find_elements(By.CSS_SELECTOR, ".notice.error")[-1]
    assert notice.text == TURN_FAILED
    driver.refresh()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "reloaded")
    assert _messages(driver) == [("shopper", "Hello?")]
    assert driver.find_element(By.CSS_SELECTOR, ".notice").text == TURN_FAILED


def _invalid_sign_in_falls_back_to_anonymous(driver: WebDriver) -> None:
    driver.execute_script(
        "const s = JSON.parse(localStorage.getItem('ecommerce-agents.shopper'));"
        "s.token = 'not-a-token'; localStorage.setItem('ecommerce-agents.shopper', JSON.stringify(s));"
    )
    driver.refresh()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "reloaded")
    assert driver.find_element(By.ID, "who").text == "Browsing anonymously"
    assert _messages(driver) == []
    assert "no longer valid" in driver.find_element(By.CSS_SELECTOR, ".notice.info").text


def _stale_conversation_starts_fresh(driver: WebDriver) -> None:
    driver.execute_script("localStorage.setItem('ecommerce-agents.conversation', 'no-such-conversation')")
    driver.refresh()
    _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true", "reloaded")
    assert _messages(driver) == []
    assert driver.execute_script("return localStorage.getItem('ecommerce-agents.conversation')") is None


def _production_page_has_no_sign_in(driver: WebDriver, url: str) -> None:
    _open(driver, url)
    assert not driver.find_element(By.ID, "signin").is_displayed()
    assert driver.find_element(By.ID, "message").is_enabled()


async def test_the_page_chats_signs_in_and_survives_a_reload(system: System, settings, tmp_path):
    production = system_settings(
        tmp_path, environment="production", service_token_secret="s" * 40, storefront_token_secret="t" * 40
    )
    with headless_chromium() as driver:
        async with serving(create_api(settings, system.service)) as url:
            await asyncio.to_thread(_anonymous_stock_question, driver, url)
            conversation = await asyncio.to_thread(_sign_in_and_ask_about_an_order, driver)
            await asyncio.to_thread(_reload_shows_the_conversation, driver)
            held = await system.service.conversations.open_turn(conversation, "CUST-001", "Another tab's message")
            try:
                await asyncio.to_thread(_busy_conversation_reads_as_a_message, driver)
            finally:
                await held.release()
            await system.specialists.stop(INV)
            await asyncio.to_thread(_apology_reads_as_a_message, driver)
            await asyncio.to_thread(_invalid_sign_in_falls_back_to_anonymous, driver)
            await asyncio.to_thread(_stale_conversation_starts_fresh, driver)
        async with serving(create_api(production, system.service)) as url:
            await asyncio.to_thread(_production_page_has_no_sign_in, driver, url)
            async with httpx.AsyncClient(base_url=url) as client:
                assert (await client.get("/dev/customers")).status_code == 404
                assert (await client.post("/dev/token", json={"customer_id": "CUST-001"})).status_code == 404
                paths = (await client.get("/openapi.json")).json()["paths"]
                assert not [p for p in paths if p.startswith("/dev")]


def _model_down(_messages, _options):
    raise RuntimeError("orchestrator model unavailable: 503 from upstream")


async def test_a_failed_turn_reads_as_a_message_and_survives_a_reload(tmp_path):
    settings = system_settings(tmp_path)
    with headless_chromium() as driver:
        async with (
            running_system(settings, orchestrator_model=ScriptedChatClient([_model_down])) as system,
            serving(create_api(settings, system.service)) as url,
        ):
            await asyncio.to_thread(_failed_turn_reads_as_a_message, driver, url)
