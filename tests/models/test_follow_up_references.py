"""What a follow-up points back to, read as a reader reads the conversation: "last" as a verb is no ordinal, and "a
2nd pair" is one more of the thing spoken of."""

from __future__ import annotations

from agents.models.offline.conversation import Evidence
from agents.models.offline.profiles import profiles_of
from agents.models.offline.references import points_back, resolve
from specialists.tools import product_discovery

_DETAILS = next(p for p in profiles_of(product_discovery.build_tools(None)) if p.name == "get_product_details")  # type: ignore[arg-type]
_PRODUCT = _DETAILS.params[0]
_LISTING = "Found 2 products: Aurora ANC Over-Ear Headphones (AUD-100), $179.00; Precision Wireless Mouse M5 (OFF-405)."


def _after(asked: str, answer: str) -> list[Evidence]:
    return [Evidence("assistant", answer, {}), Evidence("user", asked, {})]


def test_last_after_an_auxiliary_and_its_subject_is_a_verb_not_the_last_one_shown() -> None:
    assert not points_back("how long does the battery last on the mouse")
    assert points_back("did the last one ship")
    assert points_back("does my last order qualify")
    earlier = _after("do you have headphones or a mouse", _LISTING)
    assert resolve(_PRODUCT, "how long does the battery last on that", earlier) == ["AUD-100"]
    assert resolve(_PRODUCT, "whats in the last one", earlier) == ["OFF-405"]


def test_a_second_one_is_one_more_of_the_thing_spoken_of_not_the_second_shown() -> None:
    earlier = _after("do you have headphones or a mouse", _LISTING)
    assert resolve(_PRODUCT, "want a 2nd pair for my bf", earlier) == ["AUD-100"]
    assert resolve(_PRODUCT, "whats the 2nd one like", earlier) == ["OFF-405"]
