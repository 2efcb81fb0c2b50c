"""Test helpers shared by the whole suite: a real local HTTP server and a loopback-only network guard."""
