"""The storefront chat API: the way in for shoppers and storefront UIs."""

from orchestrator.api.app import create_api

__all__ = ["create_api"]
