"""The orchestrator service: the handoff mesh, the A2A proxies, conversations and the storefront chat API."""
