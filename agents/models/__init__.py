"""Model clients: OpenAI, Azure OpenAI and the embedded offline model, chosen by the settings."""

from agents.models.factory import build_chat_client, close_chat_client
from agents.models.offline import OfflineChatClient

__all__ = ["OfflineChatClient", "build_chat_client", "close_chat_client"]
