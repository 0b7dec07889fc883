"""OpenTelemetry for every service: off by default, switched on by the standard `OTEL_*` variables.

Tracing is on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set or
`OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`); `OTEL_SDK_DISABLED=true` keeps it off.
Metrics follow the same switch (`OTEL_METRICS_EXPORTER=none` drops them). The OTLP exporters speak
HTTP/protobuf and read their endpoint, headers and timeouts from the environment themselves, the
batch span processor its `OTEL_BSP_*` delays, the resource `OTEL_SERVICE_NAME` and
`OTEL_RESOURCE_ATTRIBUTES`. Each process names itself (`orchestrator`, `inventory-fulfillment`, ...)
unless `OTEL_SERVICE_NAME` says otherwise.

When it is off nothing is created: no provider, no exporter, no instrumentation, and the helpers
below hand back what they were given. MAF's own instrumentation, on by default in every process, is
switched off then: without it an agent run builds no span attributes (its tools' JSON schemas among
them) for spans nobody records. When it is on, MAF's own instrumentation reports agents, model
calls and tool calls (message text only with `ENABLE_SENSITIVE_DATA=true`), and the FastAPI, httpx,
gRPC and SQLAlchemy instrumentations report requests, A2A calls (over either binding) and SQL.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from agents.errors import SettingsError

logger = logging.getLogger(__name__)

TRACER_NAME = "ecommerce-agents"
SERVICE_NAMESPACE = "ecommerce-agents"
UNTRACED_PATHS = "/healthz,/readyz"
# a2a-sdk traces every call of its event queue (dozens of spans per A2A request); left out unless asked for.
_A2A_SDK_SCOPE = "a2a-python-sdk"
_A2A_SDK_SPANS = "OTEL_INSTRUMENTATION_A2A_SDK_ENABLED"
_EXPORTERS = ("otlp", "console", "none")

HANDOFF_SOURCE = "handoff.source"
HANDOFF_TARGET = "handoff.target"
HANDOFF_REASON = "handoff.reason"


class TelemetryError(SettingsError):
    """An `OTEL_*` variable asks for something this project does not support."""


def _exporters(env: Mapping[str, str], signal: str) -> list[str]:
    """The exporters `OTEL_<SIGNAL>_EXPORTER` names, `otlp` when only an endpoint is set, else none."""
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return []
    variable = f"OTEL_{signal.upper()}_EXPORTER"
    named = [e.strip().lower() for e in env.get(variable, "").split(",") if e.strip()]
    for name in named:
        if name not in _EXPORTERS:
            raise TelemetryError(f"invalid setting {variable}: {name!r} is not one of {', '.join(_EXPORTERS)}")
    if named:
        return [n for n in named if n != "none"]
    endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT")
    return ["otlp"] if endpoint else []


def _check_protocol(env: Mapping[str, str]) -> None:
    for variable in (
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
    ):
        value = env.get(variable, "").strip()
        if value and value != "http/protobuf":
            raise TelemetryError(f"invalid setting {variable}: only http/protobuf is supported, not {value!r}")


@dataclass
class Telemetry:
    """This process's telemetry: the providers when on (they flush at exit), nothing when off."""

    service_name: str
    tracer_provider: Any = None
    meter_provider: Any = None

    @property
    def enabled(self) -> bool:
        """True when traces are exported."""
        return self.tracer_provider is not None

    def instrument_app(self, app: Any) -> None:
        """Trace `app`'s requests (health checks left out; trace context taken from `traceparent`)."""
        if not self.enabled:
            return
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(
            app,
            excluded_urls=UNTRACED_PATHS,
            exclude_spans=["receive", "send"],
            tracer_provider=self.tracer_provider,
            meter_provider=self.meter_provider,
        )


_active = Telemetry("")


class _QuietTracer(trace.Tracer):
    """Spans that record nothing and leave the current span current, so children keep their parent."""

    def start_span(self, name: str, context: otel_context.Context | None = None, *_args: Any, **_kwargs: Any) -> Span:
        return trace.NonRecordingSpan(trace.get_current_span(context).get_span_context())

    # The API types this method's result with its own private context-manager class.
    @contextmanager
    def start_as_current_span(  # type: ignore[override]
        self, name: str, context: otel_context.Context | None = None, *_args: Any, **_kwargs: Any
    ) -> Iterator[Span]:
        yield self.start_span(name, context)


class _TracerProvider(TracerProvider):
    """The SDK's provider, handing the `quiet` instrumentation scopes a tracer that records nothing."""

    def __init__(self, quiet: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._quiet = quiet

    def get_tracer(self, instrumenting_module_name: str, *args: Any, **kwargs: Any) -> trace.Tracer:
        if instrumenting_module_name in self._quiet:
            return _QuietTracer()
        return super().get_tracer(instrumenting_module_name, *args, **kwargs)


def setup_telemetry(
    service_name: str, *, sensitive_data: bool = False, env: Mapping[str, str] | None = None
) -> Telemetry:
    """Create the providers and exporters the environment asks for; nothing at all when it asks for none."""
    global _active
    from agent_framework.observability import disable_instrumentation, enable_instrumentation

    env = os.environ if env is None else env
    trace_exporters, metric_exporters = _exporters(env, "traces"), _exporters(env, "metrics")
    if not trace_exporters:
        disable_instrumentation()
        _active = Telemetry(service_name)
        return _active
    _check_protocol(env)

    from opentelemetry import metrics
    from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, GrpcAioInstrumentorServer
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    defaults = {"service.namespace": SERVICE_NAMESPACE}
    if not env.get("OTEL_SERVICE_NAME"):
        defaults["service.name"] = service_name
    resource = Resource.create(defaults)
    quiet = () if env.get(_A2A_SDK_SPANS, "").strip().lower() == "true" else (_A2A_SDK_SCOPE,)
    tracer_provider = _TracerProvider(quiet, resource=resource)
    for name in trace_exporters:
        if name == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        else:
            tracer_provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter(out=sys.stderr)))
    trace.set_tracer_provider(tracer_provider)

    meter_provider = None
    if metric_exporters:
        readers = []
        for name in metric_exporters:
            if name == "otlp":
                from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

                readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
            else:
                readers.append(PeriodicExportingMetricReader(ConsoleMetricExporter(out=sys.stderr)))
        meter_provider = MeterProvider(resource=resource, metric_readers=readers)
        metrics.set_meter_provider(meter_provider)

    enable_instrumentation(enable_sensitive_data=sensitive_data, force=True)
    HTTPXClientInstrumentor().instrument(tracer_provider=tracer_provider, meter_provider=meter_provider)
    # A2A's gRPC binding: the client's call span and `traceparent` in its metadata, the server's span under it
    GrpcAioInstrumentorClient().instrument(tracer_provider=tracer_provider)  # type: ignore[no-untyped-call]
    GrpcAioInstrumentorServer().instrument(tracer_provider=tracer_provider)  # type: ignore[no-untyped-call]
    # Its version check stops at SQLAlchemy 2.0; the engine events it listens to are the same in 2.1.
    SQLAlchemyInstrumentor().instrument(
        tracer_provider=tracer_provider, meter_provider=meter_provider, skip_dep_check=True
    )
    _active = Telemetry(service_name, tracer_provider, meter_provider)
    logger.info("telemetry on for %s: traces to %s", service_name, ", ".join(trace_exporters))
    return _active


def tracing() -> bool:
    """Whether this process exports traces (cheap: the hot path asks before doing any tracing work)."""
    return _active.enabled


def tracer() -> trace.Tracer:
    """The project's tracer."""
    return trace.get_tracer(TRACER_NAME)


@contextmanager
def span(name: str, attributes: Mapping[str, Any] | None = None, kind: SpanKind = SpanKind.INTERNAL) -> Iterator[Span]:
    """A current span around a block (not across `yield`s); the invalid span, for free, when tracing is off."""
    if not tracing():
        yield trace.INVALID_SPAN
        return
    with tracer().start_as_current_span(name, kind=kind, attributes=attributes) as current:
        yield current


def start_span(name: str, attributes: Mapping[str, Any] | None = None, kind: SpanKind = SpanKind.INTERNAL) -> Span:
    """A started span that is not made current (for streams); end it yourself. Invalid when tracing is off."""
    if not tracing():
        return trace.INVALID_SPAN
    return tracer().start_span(name, kind=kind, attributes=attributes)


async def pulled_in(current: Span, stream: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """`stream`'s items, each produced with `current` as the current span (not held across our `yield`).

    Spans started while the stream works (model calls, HTTP requests, SQL) become children of
    `current`, without attaching a context in one task and detaching it in another.
    """
    context = trace.set_span_in_context(current)
    iterator = aiter(stream)
    while True:
        token = otel_context.attach(context)
        try:
            item = await anext(iterator)
        except StopAsyncIteration:
            return
        finally:
            otel_context.detach(token)
        yield item


def traced_stream(current: Span, stream: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """`stream` pulled in `current` when tracing is on, else `stream` itself."""
    return pulled_in(current, stream) if current.is_recording() else stream


def record_error(current: Span, exc: BaseException) -> None:
    """Record `exc` on `current` and mark it failed."""
    if current.is_recording():
        current.record_exception(exc)
        current.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))


def finish_span(current: Span, attributes: Mapping[str, Any] | None = None) -> None:
    """Set `attributes` on `current` and end it."""
    if current.is_recording():
        current.set_attributes(dict(attributes or {}))
        current.end()


def handoff_attributes(source: str, target: str, reason: str) -> dict[str, str]:
    """The attributes of one handoff, on a span or a span event."""
    return {HANDOFF_SOURCE: source, HANDOFF_TARGET: target, HANDOFF_REASON: reason}
