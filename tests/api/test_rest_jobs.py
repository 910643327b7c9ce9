"""REST jobs leave nothing behind and hand back only what they own (own server, own TMPDIR)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.sandbox.job import JOB_PREFIX
from tests.api.conftest import Api, start_api, stop_api
from tests.mcp_server.test_mcp_stdio import HELLO
from tests.models.openai_server import FakeOpenAI

COLLISION = "[filename: src]\nfn x() {}\n[filename: src/main.rs]\nfn main() {}\n"

#: Each is refused before or while its job dir exists.
BAD_REQUESTS: list[tuple[dict[str, object] | bytes, int, str]] = [
    ({"code": COLLISION}, 400, "given as a file and as the directory"),
    ({"code": "[filename: Cargo.toml]\n[package]\nname='x'\n"}, 400, "no Rust source"),
    ({"code": "[filename: ../up.rs]\nfn main(){}"}, 400, "not allowed"),
    ({"code": ""}, 400, "`code` is required"),
    (
        {"code": "[filename: src/main.rs]\nfn main(){}\n[filename: src/" + "a" * 300 + ".rs]\n"},
        400,
        "cannot write",
    ),
    (b'{"code": ', 400, "JSON decode error"),
    ({"code": 7}, 400, "code"),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Path]]:
    tmp = tmp_path_factory.mktemp("api-tmp")
    with FakeOpenAI() as model:
        server = start_api(model, env={**os.environ, "TMPDIR": str(tmp)})
        yield server, tmp
        stop_api(server)


def _jobs(tmp: Path) -> list[Path]:
    return list(tmp.glob(f"{JOB_PREFIX}*"))


def test_fifty_bad_requests_leave_no_temp_dir(api: tuple[Api, Path]) -> None:
    server, tmp = api
    assert _jobs(tmp) == []
    for number in range(50):
        body, status, words = BAD_REQUESTS[number % len(BAD_REQUESTS)]
        if isinstance(body, bytes):
            got, reply = server.request("POST", "/compile", raw=body)
        else:
            got, reply = server.request("POST", "/compile", body)
        assert got == status, reply
        assert reply["success"] is False and words in reply["message"], reply
    assert _jobs(tmp) == []
    assert server.request("POST", "/compile", {"code": HELLO})[0] == 200
    assert _jobs(tmp) == []


def test_path_collision_is_a_clear_400(api: tuple[Api, Path]) -> None:
    server, _ = api
    status, body = server.request("POST", "/compile-and-fix", {"code": COLLISION})
    assert status == 400
    assert body["message"] == "'src' is given as a file and as the directory of 'src/main.rs'"


def test_files_endpoint_never_serves_through_a_symlink(api: tuple[Api, Path]) -> None:
    """A build script that swaps a declared file for a link to a secret gets nothing served."""
    server, tmp = api
    secret = tmp.parent / "secret-for-files-endpoint.txt"
    secret.write_text("top secret 51c7\n")
    build_rs = (
        "fn main() {\n"
        '    let _ = std::fs::remove_file("README.md");\n'
        f'    std::os::unix::fs::symlink("{secret}", "README.md").unwrap();\n'
        "}\n"
    )
    crate = (
        '[filename: Cargo.toml]\n[package]\nname = "swap"\nversion = "0.1.0"\nedition = "2021"\n'
        f"\n[filename: build.rs]\n{build_rs}\n[filename: README.md]\nhello\n"
        '[filename: src/main.rs]\nfn main() { println!("ok"); }\n'
    )
    server.model.script(crate, crate)
    status, started = server.request("POST", "/generate", {"description": "swap"})
    assert status == 200, started
    project = started["project_id"]
    deadline = time.monotonic() + 240
    state: dict[str, object] = {"status": "processing"}
    while state["status"] == "processing" and time.monotonic() < deadline:
        time.sleep(0.3)
        state = server.request("GET", f"/project/{project}")[1]
    assert state["status"] == "completed", state
    status, served = server.request("GET", f"/project/{project}/files/README.md")
    assert status == 404 and "top secret" not in str(served)
    status, main_rs = server.request("GET", f"/project/{project}/files/src/main.rs")
    assert status == 200 and main_rs.startswith("fn main()")
    assert "top secret" not in str(state)
