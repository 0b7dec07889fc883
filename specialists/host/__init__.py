"""The generic A2A host: serves one specialist agent definition plus its tools as an A2A 1.0 service."""
