"""Test helpers: loopback servers and scripted chat clients."""
