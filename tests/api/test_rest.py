"""The REST API over HTTP on 127.0.0.1: Rust Coder's endpoints and fields, limits, bad input."""

from __future__ import annotations

import asyncio
import time

from tests.api.conftest import Api, start_api, stop_api
from tests.generate.conftest import BROKEN_CRATE, DESCRIPTION
from tests.generate.test_sandbox import _alive
from tests.mcp_server.test_mcp_stdio import BROKEN, HELLO
from tests.models.openai_server import FakeOpenAI

RUST_CODER_FIELDS = {"success", "files", "build_output", "run_output", "combined_text"}


def test_health_and_openapi_docs(api: Api) -> None:
    status, body = api.request("GET", "/health")
    assert status == 200 and body["status"] == "ok" and body["model_configured"]
    status, schema = api.request("GET", "/openapi.json")
    assert status == 200
    assert {"/compile", "/compile-and-fix", "/generate", "/generate-sync"} <= set(schema["paths"])


def test_compile_answers_with_rust_coder_fields(api: Api) -> None:
    status, body = api.request("POST", "/compile", {"code": HELLO})
    assert status == 200, body
    assert body.keys() >= RUST_CODER_FIELDS
    assert body["success"] and body["build_success"]
    assert body["files"] == ["Cargo.toml", "src/main.rs"]
    assert body["run_output"] == "Hello, MCP!\n"


def test_compile_and_fix_reports_attempts_and_final_files(api: Api) -> None:
    status, body = api.request("POST", "/compile-and-fix", {"code": BROKEN, "max_attempts": 3})
    assert status == 200, body
    assert body["success"]
    assert body["attempts"][0]["success"] is False and "E0384" in body["attempts"][0]["output"]
    assert "let mut n: i32 = 5;" in body["final_files"]["src/main.rs"]
    assert body["combined_text"].startswith("[filename: Cargo.toml]")


def test_generate_sync_and_async(api: Api) -> None:
    api.model.script(BROKEN_CRATE, BROKEN_CRATE)
    status, body = api.request("POST", "/generate-sync", {"description": DESCRIPTION})
    assert status == 200, body
    assert body["success"] and body["build_success"] and "Hello, Ada!" in body["run_output"]

    status, started = api.request("POST", "/generate", {"description": DESCRIPTION})
    assert status == 200 and started["status"] == "processing"
    project = started["project_id"]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status, state = api.request("GET", f"/project/{project}")
        if state["status"] != "processing":
            break
        time.sleep(0.5)
    assert state["status"] == "completed", state
    status, main_rs = api.request("GET", f"/project/{project}/files/src/main.rs")
    assert status == 200 and "fn greeting" in main_rs
    assert api.request("GET", "/project/nope")[0] == 404


def test_bad_input_gets_clear_errors_and_the_server_keeps_serving(api: Api) -> None:
    status, body = api.request("POST", "/compile", {"code": "[filename: ../up.rs]\nfn main(){}"})
    assert status == 400 and "'..' is not allowed" in body["message"]
    status, body = api.request("POST", "/compile", {"text": "wrong field"})
    assert status == 400 and "code" in body["message"]
    status, body = api.request("POST", "/compile", raw=b'{"code": "\xff\xfe broken"}')
    assert status == 400 and body["success"] is False
    status, body = api.request("POST", "/compile", raw=b"x" * (10 * 1024 * 1024))
    assert status == 413 and "larger than" in body["message"]
    status, body = api.request("POST", "/compile", {"code": "no files at all"})
    assert status == 400 and "no files found" in body["message"]
    assert api.request("POST", "/compile", {"code": HELLO})[0] == 200


def test_an_endless_program_is_killed(api: Api) -> None:
    code = HELLO.replace('println!("Hello, MCP!");', "loop { std::hint::spin_loop(); }")
    status, body = api.request("POST", "/compile", {"code": code})
    assert status == 200 and body["build_success"]
    assert "time limit" in body["run_output"]
    assert _alive("target/debug/hello") == []


def test_thirty_concurrent_compiles_are_all_answered(api: Api) -> None:
    async def one(i: int) -> int:
        code = HELLO.replace("Hello, MCP!", f"request {i}")
        status, body = await asyncio.to_thread(api.request, "POST", "/compile", {"code": code})
        if status == 200:
            assert body["run_output"] == f"request {i}\n"
        else:
            assert status == 429 and "busy" in body["message"]
        return status

    async def all_of_them() -> list[int]:
        return await asyncio.gather(*(one(i) for i in range(30)))

    statuses = asyncio.run(all_of_them())
    assert len(statuses) == 30 and set(statuses) <= {200, 429}
    assert api.request("GET", "/health")[0] == 200
    assert statuses.count(200) >= 2
    time.sleep(0.3)
    assert _alive("rustcoder-crate-") == []


def test_token_is_required_when_set() -> None:
    with FakeOpenAI() as model:
        api = start_api(model, token="s3cret")
        try:
            assert api.request("GET", "/health", headers={"Authorization": ""})[0] == 200
            status, body = api.request(
                "POST", "/compile", {"code": HELLO}, headers={"Authorization": "Bearer wrong"}
            )
            assert status == 401 and "token" in body["message"]
            assert api.request("POST", "/compile", {"code": HELLO})[0] == 200
        finally:
            stop_api(api)


def test_binding_off_loopback_without_a_token_is_refused() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "rustcoder", "api", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "needs a token" in result.stderr
