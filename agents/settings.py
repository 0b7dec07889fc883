"""One settings class for every process, read from the environment and an optional `.env` file."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from agents.definitions import SPECIALIST_NAMES
from agents.errors import SettingsError as SettingsError  # raised by load_settings, so importable from here

DEFAULT_PORTS: dict[str, int] = {
    "product-discovery": 8101,
    "order-management": 8102,
    "pricing-promotions": 8103,
    "review-sentiment": 8104,
    "inventory-fulfillment": 8105,
}


GRPC_PORT_OFFSET = 100  # a specialist's default gRPC port: its HTTP port + 100 (8201, ...)


def _local_url(specialist: str) -> str:
    """The default A2A base URL of `specialist`: its default port on the loopback interface."""
    return f"http://127.0.0.1:{DEFAULT_PORTS[specialist]}"


def _local_grpc_url(specialist: str) -> str:
    """The default address of `specialist`'s A2A gRPC binding (a gRPC target, `host:port`)."""
    return f"127.0.0.1:{DEFAULT_PORTS[specialist] + GRPC_PORT_OFFSET}"


DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef"


class ModelProvider(StrEnum):
    """Where the agents' model runs."""

    OFFLINE = "offline"
    OPENAI = "openai"
    AZURE = "azure"


class Environment(StrEnum):
    """Where the system runs: production refuses development secrets and serves no development sign-in."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every knob of the system; the environment variable is the field name in upper case."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # Model
    model_provider: ModelProvider = ModelProvider.OFFLINE
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4.1-mini"
    openai_base_url: str | None = Field(default=None, description="OpenAI-compatible server (Ollama, vLLM)")
    azure_openai_endpoint: str | None = None
    azure_openai_api_key: SecretStr | None = None
    azure_openai_deployment: str | None = None
    azure_openai_api_version: str = "2024-10-21"
    offline_token_delay_ms: float = Field(default=0.0, ge=0, description="Per-token delay of the offline model")
    model_max_retries: int = Field(default=2, ge=0, le=10, description="Retries of a 429, 5xx or timed-out model call")
    model_timeout_s: float = Field(default=60.0, gt=0, description="Timeout of one model call")

    # Store
    database_url: str = "sqlite+aiosqlite:///./data/store.db"
    database_pool_size: int | None = Field(
        default=None, ge=1, description="PostgreSQL connections a process keeps (unset: 20 orchestrator, 5 specialist)"
    )
    database_max_overflow: int | None = Field(
        default=None,
        ge=0,
        description="PostgreSQL connections a process may open at peak (unset: 5 orchestrator, 2 specialist)",
    )

    # Services
    specialist_host: str = "127.0.0.1"
    product_discovery_url: str = _local_url("product-discovery")
    order_management_url: str = _local_url("order-management")
    pricing_promotions_url: str = _local_url("pricing-promotions")
    review_sentiment_url: str = _local_url("review-sentiment")
    inventory_fulfillment_url: str = _local_url("inventory-fulfillment")
    a2a_grpc: bool = Field(
        default=True,
        description="Specialists also serve A2A's gRPC binding, and the orchestrator calls them over it",
    )
    product_discovery_grpc_url: str = _local_grpc_url("product-discovery")
    order_management_grpc_url: str = _local_grpc_url("order-management")
    pricing_promotions_grpc_url: str = _local_grpc_url("pricing-promotions")
    review_sentiment_grpc_url: str = _local_grpc_url("review-sentiment")
    inventory_fulfillment_grpc_url: str = _local_grpc_url("inventory-fulfillment")
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)

    # Secrets and tokens
    service_token_secret: SecretStr = SecretStr(DEV_SECRET)
    storefront_token_secret: SecretStr = SecretStr(DEV_SECRET)
    service_token_ttl_s: int = Field(default=300, ge=10)
    shopper_token_ttl_s: int = Field(default=3600, ge=60)
    environment: Environment = Field(
        default=Environment.DEVELOPMENT, description="'production' refuses development secrets"
    )

    # Limits
    max_handoffs_per_turn: int = Field(default=4, ge=1, le=40)
    max_message_chars: int = Field(default=4000, ge=1)
    session_max_messages: int = Field(default=40, ge=2, description="A specialist's memory of one conversation")
    mesh_history_messages: int = Field(
        default=12,
        ge=2,
        description="Messages each agent of the orchestrator's mesh keeps in a conversation checkpoint",
    )
    session_max_chars: int = Field(default=40_000, ge=1000)
    mesh_idle_workflows: int = Field(
        default=128,
        ge=0,
        description="Mesh workflows an orchestrator builds at start-up and keeps idle between turns",
    )
    agent_window_tokens: int = Field(
        default=1500,
        ge=200,
        description="Token budget of each agent's conversation window (mesh checkpoints and specialist sessions)",
    )
    stream_coalesce_ms: float = Field(
        default=200,
        ge=0,
        description="A specialist streams its answer in one A2A event per this much of the model's output",
    )
    a2a_connect_timeout_s: float = Field(default=3.0, gt=0)
    a2a_read_timeout_s: float = Field(default=60.0, gt=0)
    turn_timeout_s: float = Field(default=120.0, gt=0)

    # Logging
    log_level: Literal["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] = Field(
        default="INFO", description="Level of the services' logs, in any case: info, WARNING, ..."
    )

    @field_validator(*(name.replace("-", "_") + "_grpc_url" for name in SPECIALIST_NAMES))
    @classmethod
    def _grpc_target(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or "/" in value or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{value!r} is not host:port")
        return value

    @field_validator("log_level", "environment", mode="before")
    @classmethod
    def _in_any_case(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        return value.strip().upper() if info.field_name == "log_level" else value.strip().lower()

    # Supervisor (`up`): a crashed service is restarted after a delay that doubles with each crash in a row
    restart_delay_s: float = Field(default=1.0, gt=0, description="Delay before restarting a service that crashed")
    restart_max_delay_s: float = Field(default=30.0, gt=0, description="Cap of the doubling restart delay")
    restart_reset_after_s: float = Field(
        default=60.0, gt=0, description="A service up this long starts again from the first delay when it crashes"
    )

    # Telemetry: switched on by the standard OTEL_* variables (see agents/telemetry.py)
    enable_sensitive_data: bool = Field(
        default=False, description="Put message text and tool arguments on traces (development only)"
    )

    # Conversations
    conversation_lease_s: float = Field(
        default=10.0, ge=1, le=300, description="Lifetime of a turn's lease, renewed while the turn runs"
    )
    first_pass_router: bool = Field(
        default=True, description="Hand a clear first ask to its specialist without an orchestrator model call"
    )
    first_pass_router_margin: float = Field(
        default=0.55, gt=0, le=1, description="The runner-up specialist's score must stay under this share of the best"
    )

    @model_validator(mode="after")
    def _check_provider(self) -> Settings:
        if self.model_provider is ModelProvider.OPENAI and self.openai_api_key is None and not self.openai_base_url:
            raise ValueError("OPENAI_API_KEY is required when MODEL_PROVIDER=openai")
        if self.model_provider is ModelProvider.AZURE:
            for name in ("azure_openai_endpoint", "azure_openai_deployment"):
                if not getattr(self, name):
                    raise ValueError(f"{name.upper()} is required when MODEL_PROVIDER=azure")
        for name in ("service_token_secret", "storefront_token_secret"):
            if len(getattr(self, name).get_secret_value()) < 32:
                raise ValueError(f"{name.upper()} must be at least 32 characters long")
        if self.environment is Environment.PRODUCTION:
            for name in ("service_token_secret", "storefront_token_secret"):
                if getattr(self, name).get_secret_value() == DEV_SECRET:
                    raise ValueError(f"{name.upper()} must be set to a real secret in production")
        return self

    def specialist_urls(self) -> dict[str, str]:
        """The A2A base URL of each specialist, by agent name."""
        return {name: getattr(self, name.replace("-", "_") + "_url") for name in SPECIALIST_NAMES}

    def specialist_grpc_urls(self) -> dict[str, str]:
        """The address (`host:port`) of each specialist's A2A gRPC binding, by agent name; none when it is off."""
        if not self.a2a_grpc:
            return {}
        return {name: getattr(self, name.replace("-", "_") + "_grpc_url") for name in SPECIALIST_NAMES}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one clear line per variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = "_".join(str(p) for p in err["loc"]).upper()
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"invalid setting {loc}: {msg}" if loc else f"invalid settings: {msg}")
        raise SettingsError("\n".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
