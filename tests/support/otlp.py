"""An OTLP/HTTP receiver on loopback for tests: collects the spans and metrics services export."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from agents.definitions import SPECIALIST_NAMES
from tests.support.servers import free_port


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return getattr(value, kind) if kind else None


def _attributes(pairs: Any) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in pairs if isinstance(kv, KeyValue)}


@dataclass(frozen=True)
class SpanEvent:
    name: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class ReceivedSpan:
    """One exported span, decoded."""

    service: str
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    kind: int
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    events: tuple[SpanEvent, ...]
    status_code: int
    status_message: str
    resource: dict[str, Any]

    @property
    def failed(self) -> bool:
        return self.status_code == 2  # STATUS_CODE_ERROR


@dataclass
class Receiver:
    """What the services sent: spans, and metric names by service."""

    endpoint: str
    spans: list[ReceivedSpan] = field(default_factory=list)
    metrics: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    raw_bodies: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_traces(self, body: bytes) -> None:
        request = ExportTraceServiceRequest.FromString(body)
        decoded = []
        for resource_spans in request.resource_spans:
            resource = _attributes(resource_spans.resource.attributes)
            for scope in resource_spans.scope_spans:
                for s in scope.spans:
                    decoded.append(
                        ReceivedSpan(
                            service=str(resource.get("service.name")),
                            trace_id=s.trace_id.hex(),
                            span_id=s.span_id.hex(),
                            parent_id=s.parent_span_id.hex(),
                            name=s.name,
                            kind=s.kind,
                            start_ns=s.start_time_unix_nano,
                            end_ns=s.end_time_unix_nano,
                            attributes=_attributes(s.attributes),
                            events=tuple(SpanEvent(e.name, _attributes(e.attributes)) for e in s.events),
                            status_code=s.status.code,
                            status_message=s.status.message,
                            resource=resource,
                        )
                    )
        with self.lock:
            self.spans.extend(decoded)
            self.raw_bodies.append(body)

    def add_metrics(self, body: bytes) -> None:
        request = ExportMetricsServiceRequest.FromString(body)
        with self.lock:
            for resource_metrics in request.resource_metrics:
                service = str(_attributes(resource_metrics.resource.attributes).get("service.name"))
                by_name = self.metrics.setdefault(service, {})
                for scope in resource_metrics.scope_metrics:
                    for metric in scope.metrics:
                        by_name.setdefault(metric.name, []).append(metric)
            self.raw_bodies.append(body)

    def wait_for(self, condition: Callable[[Receiver], bool], timeout_s: float = 30.0) -> bool:
        """Poll until `condition(self)` holds (the services export in batches)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self.lock:
                if condition(self):
                    return True
            time.sleep(0.1)
        with self.lock:
            return condition(self)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if self.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path == "/v1/traces":
                receiver.add_traces(body)
                reply = b""  # an empty ExportTraceServiceResponse
            elif self.path == "/v1/metrics":
                receiver.add_metrics(body)
                reply = b""
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@contextmanager
def otlp_receiver() -> Iterator[Receiver]:
    """Serve OTLP/HTTP (protobuf) on 127.0.0.1; yields the receiver, stops it on exit."""
    port = free_port()
    receiver = Receiver(f"http://127.0.0.1:{port}")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def traced_env(base: Mapping[str, str], receiver: Receiver, workdir: Any, secret: str) -> dict[str, str]:
    """Environment for `up` on free loopback ports, offline model, its own store, exporting to `receiver` fast."""
    env = {
        **base,
        "MODEL_PROVIDER": "offline",
        "SERVICE_TOKEN_SECRET": secret,
        "STOREFRONT_TOKEN_SECRET": secret,
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/store.db",
        "API_PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_METRIC_EXPORT_INTERVAL": "300",
    }
    for key in ("OTEL_SERVICE_NAME", "ENABLE_SENSITIVE_DATA", "OTEL_TRACES_EXPORTER", "OTEL_SDK_DISABLED"):
        env.pop(key, None)
    for name in SPECIALIST_NAMES:
        env[name.upper().replace("-", "_") + "_URL"] = f"http://127.0.0.1:{free_port()}"
        env[name.upper().replace("-", "_") + "_GRPC_URL"] = f"127.0.0.1:{free_port()}"
    return env
