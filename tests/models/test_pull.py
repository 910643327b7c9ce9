"""`rustcoder model pull` against a hub stand-in on 127.0.0.1, then offline use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.cli import main
from rustcoder.models.backend import ChatMessage, GenerationParams
from rustcoder.models.local import load_local_model
from tests.models.fake_hub import COMMIT, FakeHub

REPO = "rustcoder-tests/remote-coder"

REGISTRY = f"""
[models.remote-coder]
repo = "{REPO}"
chat_format = "chatml"
context_length = 256
extra_files = ["config.json"]

[models.remote-coder.variants.fp32]
model_file = "onnx/model.onnx"
files = ["onnx/model.onnx", "onnx/model.onnx_data*"]
device = "cpu"

[models.remote-coder.variants.fp16]
model_file = "onnx/model_fp16.onnx"
device = "cuda"

# An entry whose file the repository does not have.
[models.misnamed]
repo = "{REPO}"
chat_format = "chatml"

[models.misnamed.variants.q4]
model_file = "onnx/model_q4.onnx"
"""


@pytest.fixture
def hub(
    tiny_dir: Path, tiny_fp16_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeHub]:
    files = {
        "onnx/model.onnx": (tiny_dir / "onnx" / "model.onnx").read_bytes(),
        "onnx/model_fp16.onnx": (tiny_fp16_dir / "onnx" / "model.onnx").read_bytes(),
        "tokenizer.json": (tiny_dir / "tokenizer.json").read_bytes(),
        "config.json": (tiny_dir / "config.json").read_bytes(),
        "README.md": b"# not needed\n",
    }
    registry = tmp_path / "registry.toml"
    registry.write_text(REGISTRY)
    fake = FakeHub(REPO, files)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_ENDPOINT", fake.url)
    monkeypatch.setenv("RUSTCODER_MODELS_TOML", str(registry))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with fake.running():
        yield fake


def test_pull_then_run_offline(
    hub: FakeHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["model", "pull", "remote-coder", "-q"]) == 0
    out = capsys.readouterr().out
    assert "remote-coder:fp32" in out and COMMIT in out
    # Only the variant for this machine, its tokenizer and config: not fp16, not the README.
    assert sorted(hub.downloaded) == ["config.json", "onnx/model.onnx", "tokenizer.json"]

    hub.server.shutdown()  # from here on there is no hub at all
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = load_local_model("remote-coder", reuse=False)
    reply = model.chat([ChatMessage("user", "fn main() {}")], GenerationParams(max_tokens=4))
    assert 0 < reply.completion_tokens <= 4

    assert main(["model", "info", "remote-coder", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    cached = {v["name"]: v["cached"] for v in info["variants"]}
    assert cached == {"fp32": True, "fp16": False}


def test_pull_a_given_variant(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "pull", "remote-coder:fp16", "-q"]) == 0
    assert "onnx/model_fp16.onnx" in hub.downloaded
    assert "onnx/model.onnx" not in hub.downloaded
    assert load_local_model("remote-coder", reuse=False).decoder.layout.kv_dtype.__name__ == (
        "float16"
    )  # the fp32 variant is missing, so the cached fp16 one is used


def test_pull_reports_a_layout_mismatch(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "pull", "misnamed", "-q"]) == 1
    err = capsys.readouterr().err
    assert "has no onnx/model_q4.onnx" in err and "misnamed" in err


def test_pull_without_a_hub(hub: FakeHub, capsys: pytest.CaptureFixture[str]) -> None:
    hub.server.shutdown()
    hub.server.server_close()
    assert main(["model", "pull", "remote-coder", "-q"]) == 1
    err = capsys.readouterr().err
    assert "could not download remote-coder" in err
    assert "Traceback" not in err
