"""The offline model: a deterministic MAF chat client that routes, calls tools and answers without a network."""

from agents.models.offline.client import OfflineChatClient

__all__ = ["OfflineChatClient"]
