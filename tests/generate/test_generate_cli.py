"""`rustcoder generate` end to end: scripted model over HTTP, real cargo, files written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from rustcoder.cli import main
from tests.generate.conftest import BROKEN_CRATE, DESCRIPTION
from tests.models.openai_server import FakeOpenAI


def test_generates_a_crate_that_builds_and_passes_tests(
    tmp_path: Path, fake_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_model.script(BROKEN_CRATE)
    out = tmp_path / "greeter"
    code = main(["generate", DESCRIPTION, "-o", str(out), "--endpoint", fake_model.url, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert report["success"] and report["build_success"] and report["test_success"]
    assert report["attempts"][0]["success"] is False
    assert "E0382" in report["attempts"][0]["output"]
    assert report["attempts"][-1]["success"] is True
    assert "Hello, Ada!" in report["run_output"]
    assert sorted(report["files"]) == ["Cargo.toml", "src/main.rs"]
    # The prompt carried the description and the template examples.
    prompt = json.dumps(fake_model.chat_requests()[0].body)
    assert DESCRIPTION in prompt and "[filename: Cargo.toml]" in prompt
    checked = subprocess.run(
        ["cargo", "check", "--offline", "-q"], cwd=out, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_refuses_a_non_empty_directory(
    tmp_path: Path, fake_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code = main(["generate", DESCRIPTION, "-o", str(tmp_path), "--endpoint", fake_model.url])
    assert code == 2
    assert "not empty" in capsys.readouterr().err
    assert fake_model.chat_requests() == []
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_without_a_model_says_how_to_configure_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", DESCRIPTION, "-o", str(tmp_path / "x")]) == 2
    assert "--endpoint URL" in capsys.readouterr().err


def test_a_reply_escaping_the_crate_is_never_written(
    tmp_path: Path, fake_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "[filename: ../../outside.rs]\nfn main() {}\n"
    fake_model.script(evil, evil)
    out = tmp_path / "out"
    code = main(
        [
            "generate",
            DESCRIPTION,
            "-o",
            str(out),
            "--endpoint",
            fake_model.url,
            "--max-attempts",
            "2",
            "--json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert "no usable crate" in report["message"]
    assert "'..' is not allowed" in report["attempts"][0]["output"]
    assert not (tmp_path / "outside.rs").exists() and not out.exists()
    # The retry told the model what was wrong.
    assert "not allowed" in json.dumps(fake_model.chat_requests()[1].body)


def test_offline_a_crates_io_dependency_is_refused_before_any_build(
    tmp_path: Path, fake_model: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    with_dependency = BROKEN_CRATE.replace("[dependencies]\n", '[dependencies]\nrand = "0.8"\n')
    fake_model.script(with_dependency, BROKEN_CRATE)
    out = tmp_path / "greeter"
    code = main(["generate", DESCRIPTION, "-o", str(out), "--endpoint", fake_model.url, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert "not available offline: rand" in report["attempts"][0]["output"]
    assert "rand" not in (out / "Cargo.toml").read_text()
    retry = json.dumps(fake_model.chat_requests()[1].body)
    assert "only the standard library" in retry
