"""A specialist's A2A gRPC binding: the same request handler as its JSON-RPC endpoint, on a port of its own.

Every call is checked as a JSON-RPC call is (`auth.py`): the bearer service token of the
`authorization` metadata, verified with the same codec and audience. A call without a valid one is
answered UNAUTHENTICATED before any handler runs; a valid one puts the shopper's identity into the
A2A call context, where the executor reads it.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import grpc
import grpc.aio
from a2a.server.context import ServerCallContext
from a2a.server.request_handlers import RequestHandler
from a2a.server.request_handlers.grpc_handler import DefaultGrpcServerCallContextBuilder, GrpcHandler
from a2a.types import a2a_pb2_grpc

from agents.identity import Identity, TokenCodec, TokenError, bearer_token
from specialists.host.auth import IDENTITY_STATE_KEY

logger = logging.getLogger(__name__)

STOP_GRACE_S = 5.0
_IDENTITY: contextvars.ContextVar[Identity] = contextvars.ContextVar("a2a_grpc_identity")

if TYPE_CHECKING:  # generic in the type stubs only
    Context = grpc.aio.ServicerContext[Any, Any]
    Handler = grpc.RpcMethodHandler[Any, Any]
    Behavior = Callable[[Any, Context], Any]


def _metadata_value(details: grpc.HandlerCallDetails, key: str) -> str | None:
    for name, value in details.invocation_metadata or ():
        if name == key:
            return value if isinstance(value, str) else value.decode()
    return None


class ServiceTokenInterceptor(grpc.aio.ServerInterceptor):
    """Verifies the bearer service token of every call; no valid token, no handler run."""

    def __init__(self, codec: TokenCodec, audience: str) -> None:
        self._codec = codec
        self._audience = audience

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> Handler | None:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        try:
            token = bearer_token(_metadata_value(handler_call_details, "authorization"))
            identity = self._codec.verify(token, self._audience)
        except TokenError as exc:
            return _method_handler(handler, _rejecting(str(exc)))
        if handler.unary_stream is not None:
            return _method_handler(handler, _streaming_as(identity, handler.unary_stream))
        return _method_handler(handler, _unary_as(identity, handler.unary_unary))


def _method_handler(handler: Handler, behavior: Behavior) -> Handler:
    """`handler` with its behaviour replaced (A2A's service has unary and server-streaming methods only)."""
    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(behavior, handler.request_deserializer, handler.response_serializer)
    if handler.unary_unary is not None:
        return grpc.unary_unary_rpc_method_handler(behavior, handler.request_deserializer, handler.response_serializer)
    raise ValueError("A2A's gRPC service has no client-streaming methods")


def _rejecting(reason: str) -> Behavior:
    async def reject(_request: Any, context: Context) -> None:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, reason)

    return reject


def _unary_as(identity: Identity, behavior: Any) -> Behavior:
    async def unary(request: Any, context: Context) -> Any:
        _IDENTITY.set(identity)  # the call runs in its own task: the variable is this call's
        return await behavior(request, context)

    return unary


def _streaming_as(identity: Identity, behavior: Any) -> Behavior:
    async def streaming(request: Any, context: Context) -> AsyncIterator[Any]:
        _IDENTITY.set(identity)
        async for response in behavior(request, context):
            yield response

    return streaming


class IdentityGrpcContextBuilder(DefaultGrpcServerCallContextBuilder):
    """Puts the identity the interceptor verified into the A2A call context for the executor."""

    def build(self, context: Context) -> ServerCallContext:
        call = super().build(context)
        identity = _IDENTITY.get(None)
        if identity is not None:
            call.state[IDENTITY_STATE_KEY] = identity
        return call


class GrpcBinding:
    """The gRPC server of one specialist, bound to `address` (`host:port`) while started."""

    def __init__(self, handler: RequestHandler, codec: TokenCodec, audience: str, address: str) -> None:
        self.address = address
        self._servicer = GrpcHandler(handler, context_builder=IdentityGrpcContextBuilder())
        self._interceptor = ServiceTokenInterceptor(codec, audience)
        self._server: grpc.aio.Server | None = None

    async def start(self) -> None:
        """Bind and serve calls (an address that can't be bound raises)."""
        server = grpc.aio.server(interceptors=[self._interceptor])
        a2a_pb2_grpc.add_A2AServiceServicer_to_server(self._servicer, server)  # type: ignore[no-untyped-call]
        server.add_insecure_port(self.address)
        await server.start()
        self._server = server
        logger.info("A2A gRPC binding serving on %s", self.address)

    async def stop(self) -> None:
        """Stop taking calls; those running get `STOP_GRACE_S` to finish."""
        if self._server is not None:
            await self._server.stop(STOP_GRACE_S)
            self._server = None
