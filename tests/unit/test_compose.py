"""docker-compose.yml stays in step with the settings and the commands (no Docker engine needed)."""

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from agents.definitions import SPECIALIST_NAMES
from agents.settings import DEFAULT_PORTS, Settings
from orchestrator.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_every_service_is_there():
    assert set(SERVICES) == {"postgres", "seed", "orchestrator", *SPECIALIST_NAMES}


def test_environment_names_only_real_settings_and_wires_every_specialist():
    fields = {name.upper() for name in Settings.model_fields}
    for name in ("orchestrator", *SPECIALIST_NAMES):
        env = SERVICES[name]["environment"]
        assert set(env) <= fields, set(env) - fields
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        for specialist in SPECIALIST_NAMES:
            url = urlsplit(env[specialist.upper().replace("-", "_") + "_URL"])
            assert url.hostname == specialist and url.port == DEFAULT_PORTS[specialist]


def test_specialist_commands_ports_and_health_checks_match():
    for name in SPECIALIST_NAMES:
        service = SERVICES[name]
        port = str(DEFAULT_PORTS[name])
        assert service["command"] == ["specialist", name, "--port", port]
        assert f"127.0.0.1:{port}/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["depends_on"]["seed"]["condition"] == "service_completed_successfully"
    assert set(SERVICES["orchestrator"]["depends_on"]) == set(SPECIALIST_NAMES)
    assert all(d["condition"] == "service_healthy" for d in SERVICES["orchestrator"]["depends_on"].values())
    assert SERVICES["seed"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_commands_are_ones_the_cli_accepts(capsys):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["ecommerce-agents"]' in dockerfile
    for name in ("orchestrator", *SPECIALIST_NAMES):
        command = SERVICES[name]["command"]
        try:
            main([*command[:2], "--help"] if command[0] == "specialist" else [command[0], "--help"])
        except SystemExit as exc:
            assert exc.code == 0
    assert SERVICES["seed"]["entrypoint"] == ["python", "-m", "specialists"]
    assert SERVICES["seed"]["command"] == ["seed"]
