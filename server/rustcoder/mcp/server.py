"""MCP tools over the shared code service (official `mcp` SDK, stdio or streamable HTTP).

Tool names and arguments follow the Rust Coder service so agents configured
for it can switch; code goes in and out in the flattened `[filename: path]`
format. Anticipated failures (bad input, busy, no model) come back as tool
errors with a clear message; the server keeps serving.
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from starlette.requests import Request
from starlette.responses import JSONResponse

from rustcoder import __version__
from rustcoder.sandbox.policy import health as isolation_health
from rustcoder.tools.code_tools import CodeService, ServiceError

INSTRUCTIONS = (
    "Rust tools backed by a real toolchain: `compile` builds and runs a crate, "
    "`compile_and_fix` repairs compile errors with verified fixes, `generate` writes a crate "
    "from a description, `explain` and `search_kb` look up rustc errors and known fixes, "
    "`learn_fix` records a fix that worked. "
    "Crates are passed as text in the `[filename: path]` format."
)


def _tool_error(exc: ServiceError) -> ToolError:
    return ToolError(f"{exc.message} (status {exc.status})")


def create_mcp_server(service: CodeService) -> MCPServer:
    server = MCPServer("rustcoder", version=__version__, instructions=INSTRUCTIONS)
    isolation = isolation_health()

    @server.custom_route("/health", methods=["GET"])
    async def health(_: Request) -> JSONResponse:
        """Over HTTP: liveness and the isolation in force (as the REST API's /health)."""
        return JSONResponse({"status": "ok", "version": __version__, "isolation": isolation})

    @server.tool(description="Generate a compiling Rust crate from a description.")
    async def generate(description: str, requirements: str = "") -> str:
        try:
            result = await service.generate(description, requirements)
        except ServiceError as exc:
            raise _tool_error(exc) from None
        if not result["success"]:
            detail = result["build_output"] or result["message"]
            raise ToolError(f"{result['message']}\n\n{detail}\n\n{result['combined_text']}")
        return str(result["combined_text"])

    @server.tool(description="Build (and run) a crate given as [filename: path] blocks.")
    async def compile(code: str) -> str:
        try:
            result = await service.compile(code)
        except ServiceError as exc:
            raise _tool_error(exc) from None
        return json.dumps(
            {k: result[k] for k in ("success", "build_output", "run_output", "files")}, indent=2
        )

    @server.tool(
        description="Fix compile errors with compile-verified fixes; returns the fixed crate."
    )
    async def compile_and_fix(code: str, description: str = "", max_attempts: int = 3) -> str:
        try:
            result = await service.compile_and_fix(code, description, max_attempts)
        except ServiceError as exc:
            raise _tool_error(exc) from None
        if not result["success"]:
            raise ToolError(
                f"{result['message']}\n\n{result['build_output']}\n\n{result['combined_text']}"
            )
        return str(result["combined_text"])

    @server.tool(description="Explain a rustc error code (e.g. E0382) with rustc's own text.")
    def explain(error_code: str) -> str:
        try:
            return service.explain(error_code)
        except ServiceError as exc:
            raise _tool_error(exc) from None

    @server.tool(
        description="Answer a Rust question from the toolchain's own docs (the books, the "
        "Reference, std): the best passages with their local links."
    )
    def ask(question: str, limit: int = 3) -> dict[str, Any]:
        try:
            return service.ask(question, limit)
        except ServiceError as exc:
            raise _tool_error(exc) from None

    @server.tool(description="Search the knowledge base of rustc errors, fix recipes and examples.")
    def search_kb(query: str, limit: int = 5) -> dict[str, Any]:
        try:
            return service.search_kb(query, limit)
        except ServiceError as exc:
            raise _tool_error(exc) from None

    @server.tool(
        description="Record a fix that made a rustc error go away, so later searches offer it "
        "(shared with the team when the server has a shared knowledge base)."
    )
    def learn_fix(
        code: str,
        message: str,
        before: str,
        after: str,
        title: str = "",
        edition: str = "",
        event_id: str | None = None,
    ) -> dict[str, Any]:
        try:
            return service.learn_fix(code, message, before, after, title, edition, "", event_id)
        except ServiceError as exc:
            raise _tool_error(exc) from None

    return server
