"""The model prompt for a failing call carries the real signature (scripted model on 127.0.0.1).

Rule rounds are turned off (`--max-rounds 0`) so the model gets the error; the
scripted model fixes the call only when its prompt shows std's real
`std::process::exit` signature, as the API index read it from the toolchain's docs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rustcoder.apiindex.std_pages import std_docs_root
from tests.fix.test_fix_command import run_fix
from tests.lsp.helpers import cargo_check_passes
from tests.models.openai_server import FakeOpenAI, Reply

BROKEN = """fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() > 3 {
        std::process::quit(2);
    }
    println!("{}", args.len());
}
"""
SIGNATURE = "std::process::exit: fn exit(code: i32) -> !"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def grounded_model(request: dict[str, Any]) -> Reply | str:
    """Answers with the right call only when the prompt shows the real signature."""
    user = request["messages"][-1]["content"]
    if SIGNATURE not in user or "The file:\n```rust\n" not in user:
        return "I do not know this API."
    text = user.split("The file:\n```rust\n", 1)[1].split("\n```", 1)[0] + "\n"
    return f"```rust\n{text.replace('std::process::quit(2)', 'std::process::exit(2)')}```\n"


@pytest.mark.skipif(std_docs_root() is None, reason="needs the toolchain's rust-docs component")
def test_the_prompt_for_a_failing_call_carries_the_real_signature(
    tmp_path: Path, server: FakeOpenAI
) -> None:
    crate = tmp_path / "quit"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "quit"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
    )
    (crate / "src" / "main.rs").write_text(BROKEN)
    server.responder = grounded_model
    result = run_fix(
        crate, "--endpoint", server.url, "--max-rounds", "0", "--apply", "--json", "--no-kb"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(f["code"], f["source"]) for f in report["applied"]] == [("E0425", "model")]
    prompt = server.chat_requests()[0].body["messages"][-1]["content"]
    assert "Real APIs of the crates and std in use" in prompt
    assert SIGNATURE in prompt
    check = cargo_check_passes(crate, tmp_path / "plain-target")
    assert check.returncode == 0, check.stderr
