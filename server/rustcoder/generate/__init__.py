"""Crates from descriptions; the contained compile and compile-and-fix core of CLI, MCP, REST."""
