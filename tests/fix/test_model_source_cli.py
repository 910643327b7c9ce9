"""`rustcoder fix --endpoint URL`: compile-and-fix rounds with a model, as a user runs them."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fix.test_fix_command import run_fix, tree_digest
from tests.lsp.helpers import cargo_check_passes
from tests.models.openai_server import FakeOpenAI, Reply

BROKEN = """pub fn average(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.arithmetic_mean()
}

pub fn spread(values: &[f64]) -> f64 {
    values.value_range()
}

#[cfg(test)]
mod tests {
    #[test]
    fn mean_of_two() {
        assert_eq!(super::average(&[1.0, 3.0]), 2.0);
    }
}
"""
MEAN_FIX = ("values.arithmetic_mean()", "values.iter().sum::<f64>() / values.len() as f64")
RANGE_FIX = (
    "values.value_range()",
    "values.iter().cloned().fold(f64::MIN, f64::max) - "
    "values.iter().cloned().fold(f64::MAX, f64::min)",
)


def broken_crate(root: Path) -> Path:
    crate = root / "stats"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "stats"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
    )
    (crate / "src" / "lib.rs").write_text(BROKEN)
    return crate


def the_file(request: dict[str, Any]) -> str | None:
    """The file a whole-file prompt shows, or None for a one-diagnostic prompt."""
    user = request["messages"][-1]["content"]
    if "whole corrected file" not in user:
        return None
    return user.split("The file:\n```rust\n", 1)[1].split("\n```", 1)[0] + "\n"


def one_fix_per_round(request: dict[str, Any]) -> Reply | str:
    """A model that fixes one error of the file per reply, as small models do."""
    text = the_file(request)
    if text is None:
        return "no idea"
    for old, new in (MEAN_FIX, RANGE_FIX):
        if old in text:
            return f"Here you go:\n```rust\n{text.replace(old, new)}```\n"
    return "nothing to fix"


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def test_model_rounds_fix_the_crate(tmp_path: Path, server: FakeOpenAI) -> None:
    server.responder = one_fix_per_round
    crate = broken_crate(tmp_path)
    result = run_fix(crate, "--endpoint", server.url, "--model-name", "fake", "--apply", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errorsBefore"] >= 2 and report["errorsAfter"] == 0
    assert [(f["code"], f["source"]) for f in report["applied"]] == [
        ("E0599", "model"),
        ("E0599", "model"),
    ]
    assert report["written"] == ["src/lib.rs"]
    assert len(server.chat_requests()) == 2, "one whole-file request per round"
    assert server.chat_requests()[0].body["model"] == "fake"
    fixed = (crate / "src" / "lib.rs").read_text()
    assert MEAN_FIX[1] in fixed and "fn mean_of_two()" in fixed
    check = cargo_check_passes(crate, tmp_path / "plain-target")
    assert check.returncode == 0, check.stderr


GARBAGE: list[Reply | str] = [
    Reply(body=b"<html>502 Bad Gateway</html>"),  # not an OpenAI reply: a ModelError
]


@pytest.mark.parametrize(
    "replies",
    [
        # Keeps only the test module, dropping both functions: refused before compiling.
        [f"```rust\n{BROKEN[BROKEN.index('#[cfg(test)]') :]}```"] * 20,
        # Fixes one error but adds another: compiled, refused.
        [f"```rust\n{BROKEN.replace(MEAN_FIX[0], MEAN_FIX[1]).replace('2.0', 'two')}```"] * 20,
        # Prose, a placeholder, and a reply that is no OpenAI reply at all.
        ["I think you should use a crate.", "```rust\n// ... rest unchanged\n```", *GARBAGE],
    ],
    ids=["drops-items", "adds-an-error", "garbage"],
)
def test_a_bad_model_never_makes_the_crate_worse(
    tmp_path: Path, server: FakeOpenAI, replies: list[Reply | str]
) -> None:
    server.script(*replies)
    server.responder = lambda request: "no"
    crate = broken_crate(tmp_path)
    before = tree_digest(crate)
    result = run_fix(crate, "--endpoint", server.url, "--apply", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["applied"] == [] and report["written"] == []
    assert report["errorsAfter"] == report["errorsBefore"]
    assert tree_digest(crate) == before
    assert server.chat_requests(), "the model was asked"


def test_an_unreachable_endpoint_is_reported_and_rule_fixes_still_apply(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    crate = broken_crate(tmp_path)
    lib = crate / "src" / "lib.rs"
    typo = (
        "pub fn total(v: &[f64]) -> f64 {\n    let running: f64 = v.iter().sum();\n    runing\n}\n"
    )
    lib.write_text(typo + BROKEN)
    result = run_fix(crate, "--endpoint", f"http://127.0.0.1:{port}/v1", "--apply")
    assert result.returncode == 1
    assert "model not used" in result.stderr and "connection refused" in result.stderr
    assert "    running\n}" in lib.read_text(), "rustc's own fix was still applied"


def test_a_missing_local_model_is_a_clear_error(tmp_path: Path) -> None:
    crate = broken_crate(tmp_path)
    result = run_fix(crate, "--model", "no-such-model-anywhere")
    assert result.returncode == 2
    assert "no-such-model-anywhere" in result.stderr
    assert "Traceback" not in result.stderr
