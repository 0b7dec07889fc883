"""The five specialist services, the generic A2A host that serves them, and the store."""
