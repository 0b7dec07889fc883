"""Each specialist serves a valid card: skills, streaming, the handoff extension, bearer security."""

import pytest

from agents.definitions import SPECIALIST_NAMES, get_definition
from agents.handoff_extension import HANDOFF_EXTENSION_URI


@pytest.mark.parametrize("name", SPECIALIST_NAMES)
async def test_card(peer, specialists, name):
    card = await peer(name).card()
    definition = get_definition(name)
    assert card.name == name
    assert card.description == definition.description
    assert [s.id for s in card.skills] == [s.id for s in definition.skills]
    assert all(s.examples for s in card.skills)
    assert card.capabilities.streaming is True
    assert [e.uri for e in card.capabilities.extensions] == [HANDOFF_EXTENSION_URI]
    scheme = card.security_schemes["bearer"].http_auth_security_scheme
    assert (scheme.scheme, scheme.bearer_format) == ("bearer", "JWT")
    assert "bearer" in card.security_requirements[0].schemes
    interface = card.supported_interfaces[0]
    assert (interface.protocol_binding, interface.protocol_version) == ("JSONRPC", "1.0")
    assert interface.url == specialists.urls[name] + "/a2a"


async def test_health(peer, specialists):
    response = await peer("product-discovery").http.get(specialists.urls["product-discovery"] + "/healthz")
    assert response.json() == {"status": "ok", "agent": "product-discovery"}
