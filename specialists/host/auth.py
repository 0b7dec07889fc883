"""Service-token authentication of A2A calls: no valid token, no agent run."""

from __future__ import annotations

from a2a.server.context import ServerCallContext
from a2a.server.routes.common import DefaultServerCallContextBuilder
from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse

from agents.identity import Identity, TokenCodec, TokenError, bearer_token

IDENTITY_STATE_KEY = "identity"


class ServiceCaller(BaseUser):
    """The orchestrator, calling on behalf of a shopper (or of an anonymous one)."""

    def __init__(self, identity: Identity) -> None:
        self.shopper = identity

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.shopper.customer_id or "anonymous"


class ServiceTokenBackend(AuthenticationBackend):
    """Verifies the bearer service token of every request to the protected paths."""

    def __init__(self, codec: TokenCodec, audience: str, protected_paths: frozenset[str]) -> None:
        self._codec = codec
        self._audience = audience
        self._protected = protected_paths

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        """Authenticate protected paths; leave the card and health endpoints public."""
        if conn.url.path not in self._protected:
            return None
        try:
            identity = self._codec.verify(bearer_token(conn.headers.get("authorization")), self._audience)
        except TokenError as exc:
            raise AuthenticationError(str(exc)) from None
        return AuthCredentials(["a2a"]), ServiceCaller(identity)


def unauthorized(_conn: HTTPConnection, exc: Exception) -> JSONResponse:
    """401 with a JSON reason and the scheme to use."""
    return JSONResponse(
        {"error": "unauthorized", "reason": str(exc)},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="a2a"'},
    )


class IdentityContextBuilder(DefaultServerCallContextBuilder):
    """Puts the verified identity into the A2A call context for the executor."""

    def build(self, request: Request) -> ServerCallContext:
        context = super().build(request)
        user = request.scope.get("user")
        if isinstance(user, ServiceCaller):
            context.state[IDENTITY_STATE_KEY] = user.shopper
        return context
