"""Benchmarks: the handoff mesh over A2A, the same mesh in-process, and the router-tool baseline it replaced."""
