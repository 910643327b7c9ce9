"""Model resolution through a Hugging Face cache laid out by the test (offline), and
loading local models by name or folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from rustcoder.cli import main
from rustcoder.models import hub
from rustcoder.models.backend import ChatMessage, GenerationParams, ModelError
from rustcoder.models.local import guess_chat_format, load_local_model
from rustcoder.models.registry import get_spec
from tests.models.conftest import COMMIT

MESSAGES = [ChatMessage("user", 'fn main() { let x: i32 = "a"; }')]


def test_resolves_the_pulled_variant_offline(hf_cache: Path) -> None:
    spec = get_spec("tiny-coder")
    resolved = hub.resolve(spec, None, "cpu")
    assert resolved.variant.name == "fp32"
    assert (
        resolved.snapshot == hf_cache / "models--rustcoder-tests--tiny-coder" / "snapshots" / COMMIT
    )
    assert resolved.model_path.is_file() and resolved.tokenizer_path.is_file()
    assert hub.resolve(spec, None, "cuda").variant.name == "fp16"
    assert hub.resolve(spec, "fp16", "cpu").model_path.name == "model_fp16.onnx"


def test_falls_back_to_any_cached_variant(hf_cache: Path) -> None:
    resolved = hub.resolve(get_spec("tiny-fallback"), None, "cpu")
    assert resolved.variant.name == "fp32"
    with pytest.raises(ModelError, match=r"rustcoder model pull tiny-fallback:q4"):
        hub.resolve(get_spec("tiny-fallback"), "q4", "cpu")


def test_missing_model_names_the_pull_command(hf_cache: Path) -> None:
    with pytest.raises(ModelError, match=r"`rustcoder model pull absent-coder`"):
        load_local_model("absent-coder")
    with pytest.raises(ModelError, match="unknown model 'no-such-model'"):
        load_local_model("no-such-model")


def test_partial_snapshot_is_not_a_model(hf_cache: Path) -> None:
    snapshot = hf_cache / "models--rustcoder-tests--tiny-coder" / "snapshots" / COMMIT
    (snapshot / "tokenizer.json").unlink()
    assert hub.variant_cached(get_spec("tiny-coder"), get_spec("tiny-coder").variants[0]) is None
    with pytest.raises(ModelError, match="rustcoder model pull tiny-coder"):
        load_local_model("tiny-coder")


def test_pull_refuses_when_offline(hf_cache: Path) -> None:
    spec = get_spec("absent-coder")
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE"):
        hub.pull(spec, spec.variants[0])


def test_load_and_chat_by_registry_name(hf_cache: Path) -> None:
    model = load_local_model("tiny-coder")
    assert (model.name, model.chat_format, model.prompt_style) == ("tiny-coder", "chatml", "chat")
    assert model.context_length == 256 and model.provider == "CPUExecutionProvider"
    gen = model.start(MESSAGES, GenerationParams(max_tokens=12))
    assert gen.text()
    ended_on_stop_token = gen.token_ids[-1] in model.stop_ids
    assert gen.finish_reason == ("stop" if ended_on_stop_token else "length")
    assert len(gen.token_ids) == 12 or ended_on_stop_token
    fp16 = load_local_model("tiny-coder:fp16")
    assert fp16.decoder.layout.kv_dtype.__name__ == "float16"
    assert 0 < fp16.chat(MESSAGES, GenerationParams(max_tokens=5)).completion_tokens <= 5


def test_loaded_models_are_shared(tiny_dir: Path) -> None:
    first = load_local_model(str(tiny_dir))
    assert load_local_model(str(tiny_dir)) is first
    assert load_local_model(str(tiny_dir), reuse=False) is not first


def test_load_by_folder_guesses_the_format(tiny_dir: Path) -> None:
    model = load_local_model(str(tiny_dir))
    assert model.chat_format == "chatml"  # the test tokenizer has <|im_start|>
    assert model.context_length == 256  # max_position_embeddings from config.json
    assert guess_chat_format(tiny_dir / "tokenizer.json") == "chatml"


def test_model_without_kv_cache_is_refused(tmp_path: Path, tiny_dir: Path) -> None:
    graph = helper.make_graph(
        [helper.make_node("Identity", ["input_ids"], ["logits"])],
        "no_cache",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "s"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.INT64, ["b", "s"])],
    )
    folder = tmp_path / "nocache"
    folder.mkdir()
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    (folder / "tokenizer.json").write_bytes((tiny_dir / "tokenizer.json").read_bytes())
    with pytest.raises(ModelError, match="no usable KV cache"):
        load_local_model(str(folder))
    (folder / "tokenizer.json").write_text("{not json")
    with pytest.raises(ModelError, match="cannot read tokenizer"):
        load_local_model(str(folder))


def test_remove_deletes_the_cache_folder(hf_cache: Path) -> None:
    folder = hf_cache / "models--rustcoder-tests--tiny-coder"
    size = hub.folder_size(folder)
    assert size > 0
    assert hub.remove(get_spec("tiny-coder")) == size
    assert not folder.exists()
    assert hub.remove(get_spec("tiny-coder")) == 0


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_list_and_info(hf_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["model", "list", "--json"], capsys)
    assert code == 0
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["tiny-coder"]["cached"] == ["fp32", "fp16"]
    assert rows["absent-coder"]["cached"] == []
    assert "qwen2.5-coder-0.5b" in rows and "smollm2-135m" in rows  # shipped entries remain

    code, out, _ = run_cli(["model", "info", "tiny-coder", "--json"], capsys)
    info = json.loads(out)
    assert code == 0 and info["cached"] and info["executionProvider"] == "CPUExecutionProvider"
    fp32 = next(v for v in info["variants"] if v["name"] == "fp32")
    assert fp32["default"] and {f["path"] for f in fp32["files"]} == {
        "onnx/model.onnx",
        "tokenizer.json",
        "config.json",
    }
    assert fp32["size"] == sum(f["size"] for f in fp32["files"]) > 0

    code, out, _ = run_cli(["model", "info", "absent-coder"], capsys)
    assert code == 0 and "not pulled" in out and "rustcoder model pull absent-coder" in out


def test_cli_missing_model(hf_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["model", "run", "absent-coder", "hello"], capsys)
    assert code == 1
    assert "rustcoder model pull absent-coder" in err
    code, _, err = run_cli(["model", "info", "nope"], capsys)
    assert code == 1 and "unknown model 'nope'" in err


def test_cli_run_and_remove(hf_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["model", "run", "tiny-coder", "fn main", "--max-tokens", "6"], capsys)
    assert code == 0 and out.strip()
    assert "[tiny-coder on CPUExecutionProvider]" in err and "6 generated" in err
    code, out, _ = run_cli(["model", "remove", "tiny-coder"], capsys)
    assert code == 0 and "removed tiny-coder" in out
    code, _, err = run_cli(["model", "run", "tiny-coder", "fn main"], capsys)
    assert code == 1 and "rustcoder model pull tiny-coder" in err


def test_cli_subprocess_offline(hf_cache: Path) -> None:
    """The installed entry point, offline, with a pulled and a missing model."""
    env = dict(os.environ)
    exe = [sys.executable, "-m", "rustcoder"]
    done = subprocess.run(
        [*exe, "model", "pull", "absent-coder"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1 and "HF_HUB_OFFLINE" in done.stderr
    done = subprocess.run(
        [*exe, "model", "run", "absent-coder", "hi"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "model absent-coder is not downloaded" in done.stderr
    assert "rustcoder model pull absent-coder" in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(
        [*exe, "model", "info", "tiny-coder"], env=env, capture_output=True, text=True
    )
    assert (
        done.returncode == 0 and "pulled" in done.stdout and "CPUExecutionProvider" in done.stdout
    )


def test_bad_user_registry_is_reported(
    hf_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[models.x]\nrepo = "a/b"\nchat_format = "nonsense"\n[models.x.variants.v]\n'
        'model_file = "m.onnx"\n'
    )
    monkeypatch.setenv("RUSTCODER_MODELS_TOML", str(bad))
    with pytest.raises(ModelError, match="chat_format"):
        get_spec("x")
    bad.write_text("[models.x\n")
    with pytest.raises(ModelError, match="not valid TOML"):
        get_spec("x")


def test_damaged_download_says_how_to_repair(hf_cache: Path) -> None:
    snapshot = hf_cache / "models--rustcoder-tests--tiny-coder" / "snapshots" / COMMIT
    (snapshot / "onnx" / "model.onnx").resolve().write_bytes(b"\x00 truncated download")
    with pytest.raises(ModelError, match="cannot load ONNX model") as info:
        load_local_model("tiny-coder")
    assert "rustcoder model remove tiny-coder" in str(info.value)
    assert "rustcoder model pull tiny-coder" in str(info.value)


def test_cli_info_of_a_folder(tiny_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["model", "info", str(tiny_dir), "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert (data["modelFile"], data["chatFormat"], data["contextLength"]) == (
        "onnx/model.onnx",
        "chatml",
        256,
    )
    assert {f["path"] for f in data["files"]} >= {"onnx/model.onnx", "tokenizer.json"}
    code, out, _ = run_cli(["model", "info", str(tiny_dir)], capsys)
    assert code == 0 and "guessed from the tokenizer" in out


def test_config_eos_ids_stop_generation(tiny_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "eos"
    shutil.copytree(tiny_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config["eos_token_id"] = [5, 7]
    (folder / "config.json").write_text(json.dumps(config))
    model = load_local_model(str(folder), reuse=False)
    assert {5, 7} <= model.stop_ids
    assert model.tokenizer.token_to_id("<|im_end|>") in model.stop_ids


def test_list_survives_a_damaged_cache(hf_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = hf_cache / "models--rustcoder-tests--tiny-coder" / "refs" / "main"
    ref.unlink()
    ref.mkdir()  # a folder where the commit id should be
    code, out, err = run_cli(["model", "list", "--json"], capsys)
    assert code == 0
    assert "unreadable" in err and "rustcoder model remove tiny-coder" in err
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["tiny-coder"]["cached"] == [] and "qwen2.5-coder-0.5b" in rows
