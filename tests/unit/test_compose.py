"""docker-compose.yml stays in step with the settings, the commands and the balancer (no Docker engine needed)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from agents.definitions import SPECIALIST_NAMES
from agents.settings import DEFAULT_PORTS, GRPC_PORT_OFFSET, Settings
from orchestrator.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
HAPROXY = (ROOT / "deploy" / "haproxy.cfg").read_text()
MAX_CONNECTIONS = 100 - 3  # PostgreSQL's default, less its reserved superuser connections


def test_every_service_is_there():
    assert set(SERVICES) == {"postgres", "migrate", "balancer", "orchestrator", *SPECIALIST_NAMES}


def test_environment_names_only_real_settings_and_calls_every_specialist_through_the_balancer():
    fields = {name.upper() for name in Settings.model_fields}
    for name in ("migrate", "orchestrator", *SPECIALIST_NAMES):
        env = SERVICES[name]["environment"]
        assert set(env) <= fields, set(env) - fields
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        for specialist in SPECIALIST_NAMES:
            url = urlsplit(env[specialist.upper().replace("-", "_") + "_URL"])
            assert url.hostname == "balancer" and url.port == DEFAULT_PORTS[specialist]
            grpc = urlsplit("//" + env[specialist.upper().replace("-", "_") + "_GRPC_URL"])
            assert grpc.hostname == "balancer" and grpc.port == DEFAULT_PORTS[specialist] + GRPC_PORT_OFFSET


def test_the_balancer_serves_each_specialists_replicas_on_its_port_and_the_orchestrators_on_8000():
    assert "./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in SERVICES["balancer"]["volumes"]
    assert SERVICES["balancer"]["ports"] == ["8000:8000"]
    for name in SPECIALIST_NAMES:
        port = DEFAULT_PORTS[name]
        assert re.search(rf"frontend {name}\n    bind :{port}\n    default_backend {name}\n", HAPROXY)
        assert f"server-template replica 8 {name}:{port}" in HAPROXY
        grpc = port + GRPC_PORT_OFFSET  # HTTP/2 on both sides, checked on the replica's HTTP port
        frontend = rf"frontend {name}-grpc\n    bind :{grpc} proto h2\n    default_backend {name}-grpc\n"
        assert re.search(frontend, HAPROXY)
        assert f"server-template replica 8 {name}:{grpc} proto h2 check port {port} check-proto h1" in HAPROXY
    assert "server-template orchestrator 8 orchestrator:8000" in HAPROXY


def test_replicas_fit_the_database_connections_and_the_orchestrators_get_the_larger_pools():
    names = ("orchestrator", *SPECIALIST_NAMES)
    assert sum(SERVICES[name].get("deploy", {}).get("replicas", 1) for name in names) == 12
    connections = {
        name: int(SERVICES[name]["environment"]["DATABASE_POOL_SIZE"])
        + int(SERVICES[name]["environment"]["DATABASE_MAX_OVERFLOW"])
        for name in names
    }
    assert (
        sum(SERVICES[name].get("deploy", {}).get("replicas", 1) * connections[name] for name in names)
        <= MAX_CONNECTIONS
    )
    assert all(connections["orchestrator"] > connections[name] for name in SPECIALIST_NAMES)


def test_commands_ports_health_checks_and_start_order_match():
    for name in SPECIALIST_NAMES:
        service = SERVICES[name]
        port = str(DEFAULT_PORTS[name])
        assert service["command"] == ["specialist", name, "--port", port]
        assert f"127.0.0.1:{port}/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["orchestrator"]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["restart"] == "no"


def test_commands_are_ones_the_cli_accepts():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["ecommerce-agents"]' in dockerfile
    for name in ("migrate", "orchestrator", *SPECIALIST_NAMES):
        command = SERVICES[name]["command"]
        try:
            main([*command[:2], "--help"] if command[0] == "specialist" else [command[0], "--help"])
        except SystemExit as exc:
            assert exc.code == 0
