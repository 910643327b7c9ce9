"""The ONNX decode loop on a tiny real model: KV cache vs recomputation, sampling, stops,
max tokens, cancellation, timeouts and the context budget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from tokenizers import Tokenizer

from rustcoder.models import decode as decode_module
from rustcoder.models.backend import CancelToken, ChatMessage, GenerationParams, ModelError
from rustcoder.models.decode import Decoder, Sampler
from rustcoder.models.local import LocalModel, files_from_folder
from rustcoder.models.onnx_runtime import open_session

MESSAGES = [
    ChatMessage("system", "You are a helpful assistant."),
    ChatMessage("user", "Fix the error in this code: fn main() { let x = 5; }"),
]


def reference_greedy(model_path: Path, prompt: list[int], steps: int) -> list[int]:
    """Greedy decoding straight on onnxruntime, recomputing the whole sequence each step
    with an empty past: independent of the code under test."""
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    inputs = {i.name: i for i in session.get_inputs()}
    ids = list(prompt)
    out: list[int] = []
    for _ in range(steps):
        feed: dict[str, np.ndarray] = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
        }
        if "position_ids" in inputs:
            feed["position_ids"] = np.arange(len(ids), dtype=np.int64)[None, :]
        for name, info in inputs.items():
            if name.startswith("past_key_values."):
                dtype = np.float16 if info.type == "tensor(float16)" else np.float32
                feed[name] = np.zeros((1, info.shape[1], 0, info.shape[3]), dtype=dtype)
        logits = session.run(["logits"], feed)[0]
        token = int(np.argmax(logits[0, -1].astype(np.float32)))
        ids.append(token)
        out.append(token)
    return out


@pytest.fixture(scope="module")
def model(tiny_dir: Path) -> LocalModel:
    return LocalModel(files_from_folder(tiny_dir))


@pytest.fixture(scope="module")
def fp16_model(tiny_fp16_dir: Path) -> LocalModel:
    return LocalModel(files_from_folder(tiny_fp16_dir))


def greedy(max_tokens: int = 40, **kw: object) -> GenerationParams:
    return GenerationParams(max_tokens=max_tokens, temperature=0.0, **kw)  # type: ignore[arg-type]


def test_layout_detected_from_the_model(model: LocalModel, fp16_model: LocalModel) -> None:
    lay = model.decoder.layout
    assert (lay.num_layers, lay.kv_heads, lay.head_dim) == (2, 2, 8)
    assert lay.has_position_ids and lay.kv_dtype is np.float32
    lay16 = fp16_model.decoder.layout
    assert not lay16.has_position_ids and lay16.kv_dtype is np.float16
    assert model.provider == "CPUExecutionProvider"


def test_kv_cache_matches_full_recomputation(model: LocalModel, tiny_dir: Path) -> None:
    prompt = model.prompt_ids(MESSAGES)
    expected = reference_greedy(tiny_dir / "onnx" / "model.onnx", prompt, 60)
    cached = list(model.decoder.tokens(prompt, 60, Sampler()))
    uncached = list(model.decoder.tokens(prompt, 60, Sampler(), use_cache=False))
    assert cached == expected
    assert uncached == expected
    assert len(set(expected)) > 5  # a real sequence, not one token repeated


def test_kv_cache_fp16_without_position_ids(fp16_model: LocalModel, tiny_fp16_dir: Path) -> None:
    prompt = fp16_model.prompt_ids(MESSAGES)
    expected = reference_greedy(tiny_fp16_dir / "onnx" / "model.onnx", prompt, 12)
    assert list(fp16_model.decoder.tokens(prompt, 12, Sampler())) == expected


def test_chat_text_is_the_decoded_tokens(model: LocalModel) -> None:
    gen = model.start(MESSAGES, greedy(40))
    text = gen.text()
    assert gen.finish_reason == "length"
    assert gen.completion_tokens == 40 == len(gen.token_ids)
    assert gen.prompt_tokens == len(model.prompt_ids(MESSAGES))
    assert text == model.decode(gen.token_ids)
    completion = model.chat(MESSAGES, greedy(40))
    assert completion.text == text
    assert (completion.finish_reason, completion.completion_tokens) == ("length", 40)
    assert "".join(model.stream(MESSAGES, greedy(40))) == text


def test_max_tokens_respected(model: LocalModel) -> None:
    for n in (1, 7):
        c = model.chat(MESSAGES, greedy(n))
        assert c.completion_tokens == n
        assert c.finish_reason == "length"
    with pytest.raises(ModelError, match="max_tokens"):
        model.chat(MESSAGES, greedy(0))


def _printable_stop(text: str) -> str:
    for i in range(len(text) // 3, len(text) - 2):
        piece = text[i : i + 2]
        if piece.isascii() and piece.isprintable() and piece.strip() == piece:
            return piece
    raise AssertionError(f"no printable pair in {text!r}")


def test_stop_sequence_cuts_the_text(model: LocalModel) -> None:
    full = model.chat(MESSAGES, greedy(60)).text
    stop = _printable_stop(full)
    expected = full[: full.index(stop)]
    c = model.chat(MESSAGES, greedy(60, stop=[stop]))
    assert c.text == expected
    assert c.finish_reason == "stop"
    assert c.completion_tokens < 60
    streamed = "".join(model.stream(MESSAGES, greedy(60, stop=[stop])))
    assert streamed == expected


def test_stop_token_id_ends_generation(model: LocalModel) -> None:
    tokens = model.start(MESSAGES, greedy(30))
    tokens.text()
    ids = tokens.token_ids
    stop_token = ids[5]
    first = ids.index(stop_token)
    model_with_stop = model.decoder.generate(
        model.prompt_ids(MESSAGES),
        greedy(30),
        model.decode,
        context_length=256,
        stop_ids=frozenset({stop_token}),
    )
    text = model_with_stop.text()
    assert model_with_stop.finish_reason == "stop"
    assert model_with_stop.token_ids == ids[: first + 1]
    assert text == model.decode(ids[:first])


def test_registry_stop_token_is_not_in_the_text(model: LocalModel) -> None:
    # The test tokenizer's <|im_end|> is the chatml stop token id.
    assert model.tokenizer.token_to_id("<|im_end|>") in model.stop_ids


def test_seeded_sampling_is_reproducible(model: LocalModel) -> None:
    def sample(seed: int) -> list[int]:
        gen = model.start(MESSAGES, GenerationParams(max_tokens=30, temperature=1.0, seed=seed))
        gen.text()
        return gen.token_ids

    assert sample(7) == sample(7)
    assert sample(7) != sample(8)
    greedy_ids = model.start(MESSAGES, greedy(30))
    greedy_ids.text()
    assert sample(7) != greedy_ids.token_ids


def test_tiny_top_p_is_greedy(model: LocalModel) -> None:
    g = model.start(MESSAGES, greedy(20))
    g.text()
    nucleus = model.start(
        MESSAGES, GenerationParams(max_tokens=20, temperature=1.0, top_p=1e-6, seed=1)
    )
    nucleus.text()
    assert nucleus.token_ids == g.token_ids


def test_sampler_rejects_bad_parameters() -> None:
    with pytest.raises(ModelError):
        Sampler(temperature=-1)
    with pytest.raises(ModelError):
        Sampler(top_p=0)


def test_cancellation_stops_between_tokens(model: LocalModel) -> None:
    cancel = CancelToken()
    gen = model.start(MESSAGES, greedy(100), cancel)
    pieces: Iterator[str] = iter(gen)
    first = next(pieces)
    produced = gen.completion_tokens
    cancel.cancel()
    rest = list(pieces)
    assert gen.finish_reason == "cancelled"
    assert gen.completion_tokens == produced < 100
    assert first + "".join(rest) == model.decode(gen.token_ids)
    early = CancelToken()
    early.cancel()
    c = model.chat(MESSAGES, greedy(10), early)
    assert (c.text, c.finish_reason, c.completion_tokens) == ("", "cancelled", 0)


def test_wall_clock_timeout(model: LocalModel, monkeypatch: pytest.MonkeyPatch) -> None:
    c = model.chat(MESSAGES, greedy(10, timeout_s=0.0))
    assert c.finish_reason == "timeout" and c.completion_tokens == 0

    clock = iter(range(1000))  # a clock that advances one second per look
    monkeypatch.setattr(decode_module.time, "monotonic", lambda: float(next(clock)))
    c = model.chat(MESSAGES, greedy(50, timeout_s=4.5))
    assert c.finish_reason == "timeout"
    assert 0 < c.completion_tokens < 50


def test_context_budget(model: LocalModel, tiny_dir: Path) -> None:
    prompt_len = len(model.prompt_ids(MESSAGES))
    files = files_from_folder(tiny_dir)

    small = LocalModel(files)
    small.context_length = prompt_len + 20
    c = small.chat(MESSAGES, greedy(100))
    assert (c.completion_tokens, c.finish_reason) == (20, "length")

    small.context_length = prompt_len - 10
    with pytest.raises(ModelError, match="context"):
        small.chat(MESSAGES, greedy(100))

    small.prompt_style = "completion"  # completion prompts are cut from the left instead
    c = small.chat(MESSAGES, greedy(8))
    assert c.prompt_tokens <= small.context_length - 8
    assert c.completion_tokens == 8


def test_streaming_holds_back_split_characters(tiny_dir: Path) -> None:
    tok = Tokenizer.from_file(str(tiny_dir / "tokenizer.json"))
    text = "héllo wörld ✓ compiles — naïve café 🦀 fn main() {}"
    ids = tok.encode(text, add_special_tokens=False).ids
    detok = decode_module.IncrementalDetokenizer(lambda xs: tok.decode(xs))
    pieces = [detok.add(i) for i in ids] + [detok.flush()]
    assert "".join(pieces) == text
    assert not any("\ufffd" in p for p in pieces)
    assert len([p for p in pieces if p]) > 5


@pytest.mark.parametrize(
    ("pieces", "stops", "expected", "stopped"),
    [
        (["ab", "c<", "|e", "nd|>", "zz"], ["<|end|>"], "abc", True),
        (["abc<", "x"], ["<|end|>"], "abc<x", False),
        (["```", "\n\n", "more"], ["\n\n"], "```", True),
        (["one two"], [], "one two", False),
        (["aXb", "Yc"], ["bY", "X"], "a", True),
    ],
)
def test_stop_matcher(pieces: list[str], stops: list[str], expected: str, stopped: bool) -> None:
    m = decode_module.StopMatcher(stops)
    out = []
    for p in pieces:
        out.append(m.feed(p))
        if m.stopped:
            break
    out.append("" if m.stopped else m.flush())
    assert "".join(out) == expected
    assert m.stopped == stopped


def test_stop_matcher_holds_back_a_possible_stop() -> None:
    m = decode_module.StopMatcher(["<|end|>"])
    assert m.feed("abc<|") == "abc"  # "<|" may begin the stop string
    assert m.feed("en") == ""
    assert m.feed("ough") == "<|enough"  # it did not
    assert not m.stopped


def test_broken_model_files_give_clear_errors(tmp_path: Path, tiny_dir: Path) -> None:
    bad = tmp_path / "garbage.onnx"
    bad.write_bytes(b"this is not an onnx file")
    with pytest.raises(ModelError, match="cannot load ONNX model"):
        open_session(bad)
    with pytest.raises(ModelError, match="not found"):
        open_session(tmp_path / "missing.onnx")
    with pytest.raises(ModelError, match="empty prompt"):
        list(Decoder(open_session(tiny_dir / "onnx" / "model.onnx")).tokens([], 3, Sampler()))


def test_sampler_survives_nan_scores() -> None:
    scores = np.array([np.nan, 1.0, 3.0, np.nan, -np.inf], dtype=np.float32)
    assert Sampler()(scores) == 2
    assert Sampler(temperature=0.7, seed=1)(scores) in (1, 2)
    with pytest.raises(ModelError, match="no usable scores"):
        Sampler()(np.array([np.nan, -np.inf], dtype=np.float32))


def test_chunked_prefill_matches(model: LocalModel, tiny_dir: Path) -> None:
    prompt = model.prompt_ids(MESSAGES)
    expected = reference_greedy(tiny_dir / "onnx" / "model.onnx", prompt, 20)
    decoder = Decoder(model.session, prefill_chunk=7)
    assert len(prompt) > 3 * 7
    assert list(decoder.tokens(prompt, 20, Sampler())) == expected


class CancelAfter(CancelToken):
    """Reports cancelled from its n-th look on: a cancel that lands mid-prefill."""

    def __init__(self, looks: int):
        super().__init__()
        self.looks = 0
        self.limit = looks

    @property
    def cancelled(self) -> bool:
        self.looks += 1
        return self.looks >= self.limit


def test_cancellation_during_prefill(model: LocalModel) -> None:
    decoder = Decoder(model.session, prefill_chunk=5)
    runs: list[int] = []
    forward = decoder.forward

    def counting_forward(
        ids: list[int], past: object, past_len: int, shared: object = None
    ) -> object:
        runs.append(len(ids))
        return forward(ids, past, past_len, shared)  # type: ignore[arg-type]

    decoder.forward = counting_forward  # type: ignore[assignment,method-assign]
    cancel = CancelAfter(3)  # the first look is before the prefill, the next between chunks
    gen = decoder.generate(
        model.prompt_ids(MESSAGES), greedy(10), model.decode, context_length=256, cancel=cancel
    )
    assert gen.text() == ""
    assert gen.finish_reason == "cancelled" and gen.completion_tokens == 0
    assert runs == [5, 5]  # two chunks of a longer prompt, then it stopped


def test_prefill_falls_back_to_one_run(model: LocalModel, tiny_dir: Path) -> None:
    """Exports whose fused attention refuses several new tokens after a past."""

    class OnePromptRun(Decoder):
        def forward(self, ids, past, past_len, shared=None):  # type: ignore[no-untyped-def]
            if past_len > 0 and len(ids) > 1:
                raise ModelError("the model failed to run: sequence_length must be 1")
            return super().forward(ids, past, past_len, shared)

    prompt = model.prompt_ids(MESSAGES)
    decoder = OnePromptRun(model.session, prefill_chunk=8)
    expected = reference_greedy(tiny_dir / "onnx" / "model.onnx", prompt, 10)
    assert list(decoder.tokens(prompt, 10, Sampler())) == expected
    assert decoder.prefill_chunk == 0
