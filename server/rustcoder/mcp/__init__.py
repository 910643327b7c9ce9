"""The MCP server: generate / compile / compile-and-fix / explain / search as MCP tools."""
