"""The code tools behind MCP and REST: one tool layer, two thin adapters."""
