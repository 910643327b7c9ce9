"""FastAPI app: the Rust Coder REST surface (`/compile`, `/compile-and-fix`, `/generate`, ...).

Request and response fields match Rust Coder's API so its clients can
switch. Every failure is a JSON body `{"success": false, "message": ...}`
with a fitting status (400 bad input, 401 missing token, 404, 413 too large,
429 busy, 503 no model/KB); the server keeps serving. OpenAPI docs at /docs.
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rustcoder import __version__
from rustcoder.sandbox.policy import health as isolation_health
from rustcoder.tools.code_tools import CodeService, ServiceError

#: Larger request bodies are refused with 413 before they are read in full.
MAX_BODY_BYTES = 4 * 1024 * 1024


class CompileRequest(BaseModel):
    code: str = Field(description="the crate as `[filename: path]` blocks")


class CompileAndFixRequest(BaseModel):
    code: str = Field(description="the crate as `[filename: path]` blocks")
    description: str = ""
    max_attempts: int = Field(default=3, ge=1, le=10)


class GenerateRequestBody(BaseModel):
    description: str
    requirements: str = ""


class SearchRequest(BaseModel):
    query: str = Field(description="an error message (identifiers do not matter)")
    limit: int = Field(default=5, ge=1, le=50)


class LearnRequest(BaseModel):
    code: str = Field(description="the error code, e.g. E0382")
    message: str = Field(description="the error message the fix removed")
    before: str = Field(description="the code around the error before the fix")
    after: str = Field(description="the same lines after the fix")
    title: str = ""
    edition: str = Field(default="", description="the crate's edition: 2015, 2018, 2021, 2024")
    rustc: str = Field(default="", description="`rustc --version` of the build that worked")
    event_id: str | None = Field(
        default=None, description="a UUID: a retried request with the same id counts once"
    )


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"success": False, "message": message}, status_code=status)


class BodyLimit:
    """Refuse bodies over `limit` bytes, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _error(f"request body larger than {self.limit} bytes", 413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _error(f"request body larger than {self.limit} bytes", 413)(scope, receive, send)


class _TooLarge(Exception):
    pass


def create_app(service: CodeService, token: str | None = None) -> FastAPI:
    isolation = isolation_health()

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()  # stops the shared base's sender; its queue stays on disk

    app = FastAPI(
        lifespan=lifespan,
        title="rustcoder",
        version=__version__,
        description="Compile, compile-and-fix and generate Rust crates (Rust Coder compatible).",
    )

    @app.middleware("http")
    async def require_token(request: Request, call_next: Any) -> Response:
        if token and request.url.path not in ("/health", "/docs", "/openapi.json"):
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return _error("missing or wrong token (Authorization: Bearer ...)", 401)
        response: Response = await call_next(request)
        return response

    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        return _error(exc.message, exc.status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            problems.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
        return _error("invalid request: " + "; ".join(problems), 400)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 400 and "parsing the body" in message:
            message = "the request body is not valid JSON (UTF-8 expected)"
        return _error(message, exc.status_code)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "model_configured": service.config.model.configured,
            "isolation": isolation,
            "kb_shared": service.kb_status(),
        }

    @app.post("/kb/search")
    def kb_search(body: SearchRequest) -> dict[str, Any]:
        return service.search_kb(body.query, body.limit)

    @app.post("/kb/learn")
    def kb_learn(body: LearnRequest) -> dict[str, Any]:
        return service.learn_fix(
            body.code,
            body.message,
            body.before,
            body.after,
            body.title,
            body.edition,
            body.rustc,
            body.event_id,
        )

    @app.post("/compile")
    async def compile_code(body: CompileRequest) -> dict[str, Any]:
        return await service.compile(body.code)

    @app.post("/compile-and-fix")
    async def compile_and_fix(body: CompileAndFixRequest) -> dict[str, Any]:
        return await service.compile_and_fix(body.code, body.description, body.max_attempts)

    @app.post("/generate-sync")
    async def generate_sync(body: GenerateRequestBody) -> dict[str, Any]:
        return await service.generate(body.description, body.requirements)

    @app.post("/generate")
    async def generate_async(body: GenerateRequestBody) -> dict[str, Any]:
        project = service.start_generation(body.description, body.requirements)
        return {"project_id": project.id, "status": project.status, "message": project.message}

    @app.get("/project/{project_id}")
    async def project_status(project_id: str) -> dict[str, Any]:
        project = service.projects.get(project_id)
        if project is None:
            raise ServiceError(f"no project {project_id}", 404)
        payload: dict[str, Any] = {
            "project_id": project.id,
            "status": project.status,
            "message": project.message,
        }
        if project.result is not None:
            payload.update(project.result)
        return payload

    @app.get("/project/{project_id}/files/{path:path}")
    async def project_file(project_id: str, path: str) -> PlainTextResponse:
        project = service.projects.get(project_id)
        files = (project.result or {}).get("final_files", {}) if project else {}
        if path not in files:
            raise ServiceError(f"no file {path} in project {project_id}", 404)
        return PlainTextResponse(files[path])

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app
