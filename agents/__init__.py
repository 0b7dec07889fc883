"""Shared building blocks of every agent process: settings, model clients, agent definitions,
the A2A handoff extension contract and shopper identity tokens."""
