"""The chat client every agent process uses, built from the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent_framework import BaseChatClient

from agents.errors import SettingsError
from agents.models.offline import OfflineChatClient
from agents.settings import ModelProvider, Settings

if TYPE_CHECKING:
    import httpx2
    from agent_framework.openai import OpenAIChatCompletionClient
    from openai.lib.azure import AsyncAzureADTokenProvider

ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default"
NO_KEY = "unused"  # OpenAI-compatible servers (Ollama, vLLM) take any key, but the SDK requires one


def build_chat_client(settings: Settings, *, http_client: httpx2.AsyncClient | None = None) -> BaseChatClient:
    """The MAF chat client for `settings.model_provider`; each includes `FunctionInvocationLayer`.

    `http_client` replaces the OpenAI SDK's HTTP client (tests pass one over an `httpx2.MockTransport`).
    """
    if settings.model_provider is ModelProvider.OFFLINE:
        return OfflineChatClient(token_delay_ms=settings.offline_token_delay_ms)
    if settings.model_provider is ModelProvider.AZURE:
        return _azure_client(settings, http_client)
    return _openai_client(settings, http_client)


async def close_chat_client(client: object) -> None:
    """Close the connections of the OpenAI SDK client behind a chat client `build_chat_client` made; the
    offline model holds none."""
    sdk = getattr(client, "client", None)
    if sdk is not None and callable(close := getattr(sdk, "close", None)):
        await close()


def _openai_client(settings: Settings, http_client: httpx2.AsyncClient | None) -> OpenAIChatCompletionClient:
    """OpenAI chat completions, or any OpenAI-compatible server at `openai_base_url`."""
    from agent_framework.openai import OpenAIChatCompletionClient
    from openai import AsyncOpenAI

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else NO_KEY
    sdk = AsyncOpenAI(api_key=key, base_url=settings.openai_base_url, http_client=http_client, **_retries(settings))
    return OpenAIChatCompletionClient(model=settings.openai_model, async_client=sdk)


def _azure_client(settings: Settings, http_client: httpx2.AsyncClient | None) -> OpenAIChatCompletionClient:
    """Azure OpenAI chat completions on a deployment, with the API key or else Entra ID."""
    from agent_framework.openai import OpenAIChatCompletionClient
    from openai import AsyncAzureOpenAI

    if settings.azure_openai_endpoint is None or settings.azure_openai_deployment is None:
        raise SettingsError("AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT are required when MODEL_PROVIDER=azure")
    key = settings.azure_openai_api_key
    sdk = AsyncAzureOpenAI(
        azure_endpoint=settings.azure_openai_endpoint,
        azure_deployment=settings.azure_openai_deployment,
        api_version=settings.azure_openai_api_version,
        api_key=key.get_secret_value() if key else None,
        azure_ad_token_provider=None if key else _entra_token_provider(),
        http_client=http_client,
        **_retries(settings),
    )
    return OpenAIChatCompletionClient(model=settings.azure_openai_deployment, async_client=sdk)


def _retries(settings: Settings) -> dict[str, Any]:
    """The SDK's own bounded retry of a failed model call, and the call's timeout.

    It retries 408, 409, 429 (honouring `retry-after`), 5xx, connection errors and timeouts with
    exponential backoff, always before any of the response is read, so a retry never repeats text.
    """
    return {"max_retries": settings.model_max_retries, "timeout": settings.model_timeout_s}


def _entra_token_provider() -> AsyncAzureADTokenProvider:
    """A bearer-token provider from the ambient Entra ID credential (needs the optional azure-identity)."""
    try:
        from azure.identity.aio import DefaultAzureCredential, get_bearer_token_provider
    except ImportError:
        raise SettingsError(
            "invalid setting AZURE_OPENAI_API_KEY: it is not set, and Entra ID sign-in needs the azure-identity "
            "package, which is not installed; set the key or install azure-identity"
        ) from None
    provider: AsyncAzureADTokenProvider = get_bearer_token_provider(DefaultAzureCredential(), ENTRA_SCOPE)
    return provider
