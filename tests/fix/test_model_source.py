"""Model candidates through a real OpenAI-compatible server, verified with real cargo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.candidate import FixContext
from rustcoder.fix.compare import ErrorSet
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.learned_source import LearnedExample
from rustcoder.fix.model_rounds import errors_by_file, model_round
from rustcoder.fix.model_source import ModelSource
from rustcoder.models.backend import GenerationParams, ModelError
from rustcoder.models.openai_backend import OpenAIBackend
from tests.lsp.helpers import copy_crate
from tests.models.openai_server import FakeOpenAI, Reply

GOOD_ITEM = """```rust
/// The mean of the values (0 for none).
pub fn average(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}
```"""
#: Compiles nowhere: `max` is not a slice method either.
WRONG_ITEM = GOOD_ITEM.replace("values.iter().sum::<f64>() / values.len() as f64", "values.max()")


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def engine_for(crate: Path) -> FixEngine:
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    return FixEngine(workspace=workspace, settings=FixSettings(parallel=1))


def source_for(server: FakeOpenAI, **kwargs: object) -> ModelSource:
    model = OpenAIBackend(server.url, "fake-coder", backoff_s=0.01)
    return ModelSource(model, GenerationParams(timeout_s=30), **kwargs)  # type: ignore[arg-type]


async def test_a_correct_reply_becomes_a_candidate_that_compiles(
    tmp_path: Path, server: FakeOpenAI
) -> None:
    crate = copy_crate("model_fix", tmp_path)
    engine = engine_for(crate)
    outcome = await engine.check_base()
    target = next(d for d in outcome.diagnostics if d.code == "E0599")
    examples = [LearnedExample("E0599", "no method named `x`", "a.x()", "a.y()")]
    source = source_for(server, examples=lambda d: examples)
    assert source.candidates(FixContext(crate, target, engine.read_text)) == []
    assert server.requests == [], "gathering candidates never calls the model"
    server.script(GOOD_ITEM)
    ctx = FixContext(crate, target, engine.read_text, list(outcome.diagnostics))
    (candidate,) = await source.agenerate(ctx)
    assert candidate.title == "Fix with fake-coder"
    assert candidate.source == "model"
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    verification = await engine.verify(candidate, target, baseline)
    assert verification.status == "compiles"
    # What the model was told: rustc's message, the item, the explanation, the KB example.
    prompt = server.chat_requests()[0].body["messages"]
    text = "\n".join(m["content"] for m in prompt)
    assert "error[E0599]: no method named `arithmetic_mean` found" in text
    assert "    values.arithmetic_mean()\n}" in text
    assert "function `average`" in text
    assert "a.y()" in text
    assert (
        "when a method is used on a type which doesn't implement it" in text
    )  # rustc --explain E0599
    assert (crate / "src" / "lib.rs").read_text().count("values.arithmetic_mean()") == 1


async def test_a_wrong_reply_is_rejected_and_garbage_gives_nothing(
    tmp_path: Path, server: FakeOpenAI
) -> None:
    crate = copy_crate("model_fix", tmp_path)
    engine = engine_for(crate)
    outcome = await engine.check_base()
    target = next(d for d in outcome.diagnostics if d.code == "E0599")
    ctx = FixContext(crate, target, engine.read_text, list(outcome.diagnostics))
    source = source_for(server)
    server.script(WRONG_ITEM, "Sorry, I can't do that.", Reply(body=b"\x89PNG garbage"))
    (wrong,) = await source.agenerate(ctx)
    verification = await engine.verify(wrong, target, ErrorSet.of(outcome.diagnostics, crate))
    assert not verification.ok
    assert await source.agenerate(ctx) == []
    with pytest.raises(ModelError, match="did not reply like an OpenAI-compatible server"):
        await source.agenerate(ctx)


async def test_model_round_takes_only_an_improvement(tmp_path: Path, server: FakeOpenAI) -> None:
    crate = copy_crate("model_fix", tmp_path)
    engine = engine_for(crate)
    outcome = await engine.check_base()
    source = source_for(server)
    by_file = errors_by_file(outcome.diagnostics, crate)
    assert [(p.name, [d.code for d in ds]) for p, ds in by_file.items()] == [
        ("lib.rs", ["E0599"])
    ], "the lib's error, reported again for its test target, is asked about once"
    # Whole-file reply dropping `describe` (refused unparsed), then a wrong item fix.
    dropped = GOOD_ITEM  # only `average`: as a whole file it loses `describe`
    server.script(dropped, WRONG_ITEM)
    assert await model_round(engine, source, outcome) is None
    assert len(server.chat_requests()) == 2
    server.script(dropped, GOOD_ITEM)
    found = await model_round(engine, source, outcome)
    assert found is not None
    assert found.scope == "diagnostic"
    assert found.verification.status == "compiles"


async def test_prompt_styles_reach_the_server_and_completion_replies_parse(
    tmp_path: Path, server: FakeOpenAI
) -> None:
    crate = copy_crate("model_fix", tmp_path)
    engine = engine_for(crate)
    outcome = await engine.check_base()
    target = next(d for d in outcome.diagnostics if d.code == "E0599")
    ctx = FixContext(crate, target, engine.read_text, list(outcome.diagnostics))
    gemma = OpenAIBackend(server.url, "gemma-3-4b-it")
    server.script(GOOD_ITEM)
    assert len(await ModelSource(gemma).agenerate(ctx)) == 1
    roles = [m["role"] for m in server.chat_requests()[-1].body["messages"]]
    assert "system" not in roles, "Gemma's template has no system role"
    # A completion-style model continues the open fence: its reply has no opening fence.
    base = OpenAIBackend(server.url, "base-model")
    base.prompt_style = "completion"
    server.script(GOOD_ITEM.removeprefix("```rust\n") + "\n\nThis computes the mean.")
    (candidate,) = await ModelSource(base).agenerate(ctx)
    (only,) = server.chat_requests()[-1].body["messages"]
    assert only["content"].endswith("Fixed:\n```rust\n")
    verification = await engine.verify(candidate, target, ErrorSet.of(outcome.diagnostics, crate))
    assert verification.status == "compiles"
