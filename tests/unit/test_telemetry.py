"""Telemetry is off unless the OTEL_* variables ask for it; off, nothing is created or wrapped."""

import os
import subprocess
import sys

import pytest
from agent_framework.observability import OBSERVABILITY_SETTINGS, enable_instrumentation
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from agents import telemetry
from agents.errors import exit_on_bad_settings
from agents.telemetry import TelemetryError, setup_telemetry
from orchestrator.turn_telemetry import TurnTrace

ENDPOINT = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}


async def _events():
    yield "event"


@pytest.fixture(autouse=True)
def _maf_instrumentation_restored():
    """Leave MAF's instrumentation as it was (on, its default) for the tests after these."""
    yield
    enable_instrumentation(force=True)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"OTEL_SERVICE_NAME": "shop", "OTEL_BSP_SCHEDULE_DELAY": "100"},
        {**ENDPOINT, "OTEL_SDK_DISABLED": "true"},
        {**ENDPOINT, "OTEL_TRACES_EXPORTER": "none"},
    ],
)
def test_off_creates_nothing_and_wraps_nothing(env):
    result = setup_telemetry("orchestrator", env=env)
    assert not result.enabled and result.tracer_provider is None and result.meter_provider is None
    assert not telemetry.tracing()
    assert not OBSERVABILITY_SETTINGS.ENABLED  # MAF builds no span attributes for spans nobody records
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)
    assert telemetry.start_span("anything") is trace.INVALID_SPAN
    stream = _events()
    assert telemetry.traced_stream(trace.INVALID_SPAN, stream) is stream
    assert TurnTrace("c1", 1).run(stream) is stream


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"OTEL_TRACES_EXPORTER": "jaeger"}, "OTEL_TRACES_EXPORTER"),
        ({**ENDPOINT, "OTEL_METRICS_EXPORTER": "prometheus"}, "OTEL_METRICS_EXPORTER"),
        ({**ENDPOINT, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "OTEL_EXPORTER_OTLP_PROTOCOL"),
    ],
)
def test_an_unsupported_value_is_named(env, variable):
    with pytest.raises(TelemetryError, match=variable):
        setup_telemetry("orchestrator", env=env)
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)


def test_an_entry_point_exits_with_one_line(monkeypatch, capsys):
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "zipkin")
    with pytest.raises(SystemExit) as exited, exit_on_bad_settings():
        setup_telemetry("inventory-fulfillment")
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == (
        "invalid setting OTEL_TRACES_EXPORTER: 'zipkin' is not one of otlp, console, none"
    )


@pytest.mark.parametrize(("env", "traced"), [({}, "False"), ({"OTEL_INSTRUMENTATION_A2A_SDK_ENABLED": "true"}, "True")])
def test_a2a_sdk_tracing_is_off_in_a_service_unless_asked_for(env, traced):
    """A service imports its package before a2a-sdk, which then makes no span per call of its own."""
    probe = "import specialists.host.app, a2a.utils.telemetry as t; print(t.otel_enabled)"
    base = {k: v for k, v in os.environ.items() if k != "OTEL_INSTRUMENTATION_A2A_SDK_ENABLED"}
    out = subprocess.run([sys.executable, "-c", probe], env={**base, **env}, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == traced
