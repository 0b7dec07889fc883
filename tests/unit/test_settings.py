"""Settings: defaults run offline on SQLite; a bad setting fails at start with one line naming it."""

import subprocess
import sys

import pytest

from agents.settings import Environment, ModelProvider, SettingsError, load_settings
from orchestrator.supervisor import plan_children


def test_defaults_are_offline_sqlite_and_the_standard_ports(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.model_provider is ModelProvider.OFFLINE
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.specialist_urls() == {
        "product-discovery": "http://127.0.0.1:8101",
        "order-management": "http://127.0.0.1:8102",
        "pricing-promotions": "http://127.0.0.1:8103",
        "review-sentiment": "http://127.0.0.1:8104",
        "inventory-fulfillment": "http://127.0.0.1:8105",
    }
    assert settings.specialist_grpc_urls()["review-sentiment"] == "127.0.0.1:8204"
    assert load_settings(a2a_grpc=False).specialist_grpc_urls() == {}


def test_environment_and_dotenv_are_read_and_empty_values_mean_default(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("MAX_HANDOFFS_PER_TURN=7\nOPENAI_BASE_URL=\n")
    monkeypatch.setenv("API_PORT", "9001")
    settings = load_settings()
    assert (settings.max_handoffs_per_turn, settings.api_port, settings.openai_base_url) == (7, 9001, None)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MODEL_PROVIDER": "openai"}, "OPENAI_API_KEY"),
        ({"MODEL_PROVIDER": "azure"}, "AZURE_OPENAI_ENDPOINT"),
        ({"MODEL_PROVIDER": "gpt"}, "MODEL_PROVIDER"),
        ({"API_PORT": "http"}, "API_PORT"),
        ({"SERVICE_TOKEN_SECRET": "short"}, "SERVICE_TOKEN_SECRET"),
        ({"ENVIRONMENT": "production"}, "SERVICE_TOKEN_SECRET"),
        ({"ENVIRONMENT": "prod"}, "ENVIRONMENT"),
        ({"ORDER_MANAGEMENT_GRPC_URL": "http://127.0.0.1:8202"}, "ORDER_MANAGEMENT_GRPC_URL"),
        ({"ORDER_MANAGEMENT_GRPC_URL": "127.0.0.1"}, "ORDER_MANAGEMENT_GRPC_URL"),
    ],
)
def test_invalid_settings_name_the_variable(monkeypatch, tmp_path, env, named):
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert named in str(caught.value)


def test_a_command_with_a_bad_setting_prints_one_line_and_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "orchestrator.cli", "token", "CUST-001"],
        env={"MODEL_PROVIDER": "openai", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "invalid settings: OPENAI_API_KEY is required when MODEL_PROVIDER=openai"


@pytest.mark.parametrize("spelled", ["info", "Info", " INFO "])
def test_log_level_is_read_in_any_case(monkeypatch, tmp_path, spelled):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", spelled)
    assert load_settings().log_level == "INFO"


def test_environment_is_read_in_any_case(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVIRONMENT", " Development ")
    assert load_settings().environment is Environment.DEVELOPMENT


def test_an_unknown_log_level_is_named(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        load_settings()


def test_services_started_by_up_log_warnings_unless_log_level_is_set(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    assert {c.log_level for c in plan_children(load_settings())} == {"WARNING"}
    assert {c.log_level for c in plan_children(load_settings(log_level="debug"))} == {"DEBUG"}
