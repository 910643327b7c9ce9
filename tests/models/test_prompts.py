"""Prompts per model family for one diagnostic and for a whole file."""

from __future__ import annotations

from rustcoder.models.prompts import (
    COMPLETION_OPEN,
    SYSTEM,
    DiagnosticPrompt,
    FewShot,
    FilePrompt,
    explanation_excerpt,
    file_messages,
    fix_messages,
    style_of,
)

PROMPT = DiagnosticPrompt(
    code="E0308",
    message="mismatched types",
    rendered="error[E0308]: mismatched types\n --> src/lib.rs:3:5\n  |\n3 |     sum\n",
    path="src/lib.rs",
    item="pub fn total(items: &[u32]) -> u32 {\n    let sum: u64 = items.iter().sum();\n    sum\n}",
    item_label="function `total`",
    explanation="Expected type did not match the received type.",
    examples=[FewShot("mismatched types", "fn a() -> u8 { 1u16 }", "fn a() -> u8 { 1u8 }")],
)


def test_chat_style_has_a_system_turn_few_shot_turns_and_everything_needed() -> None:
    messages = fix_messages(PROMPT, "chat")
    assert [m.role for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[0].content == SYSTEM
    assert "fn a() -> u8 { 1u16 }" in messages[1].content
    assert messages[2].content == "```rust\nfn a() -> u8 { 1u8 }\n```"
    last = messages[-1].content
    assert "error[E0308]: mismatched types\n --> src/lib.rs:3:5" in last
    assert "Expected type did not match the received type." in last
    assert "```rust\npub fn total(items: &[u32]) -> u32 {" in last
    assert "corrected function `total` in full" in last


def test_gemma_style_folds_the_system_prompt_into_the_first_user_turn() -> None:
    messages = fix_messages(PROMPT, "chat-no-system")
    assert [m.role for m in messages] == ["user", "assistant", "user"]
    assert messages[0].content.startswith(SYSTEM + "\n\n")
    no_examples = DiagnosticPrompt(**{**PROMPT.__dict__, "examples": []})
    (only,) = fix_messages(no_examples, "chat-no-system")
    assert only.role == "user" and only.content.startswith(SYSTEM)
    assert "pub fn total" in only.content


def test_completion_style_is_one_document_ending_in_an_open_fence() -> None:
    (message,) = fix_messages(PROMPT, "completion")
    assert message.content.startswith(SYSTEM)
    assert message.content.endswith("Fixed:\n" + COMPLETION_OPEN)
    assert "fn a() -> u8 { 1u8 }" in message.content


def test_file_prompt_lists_every_error_and_the_whole_file() -> None:
    text = "fn a() -> u8 { 1u16 }\nfn b() { c() }\n"
    messages = file_messages(
        FilePrompt("src/main.rs", text, ["error[E0308]: mismatched types", "error[E0425]: c"]),
        "chat",
    )
    assert [m.role for m in messages] == ["system", "user"]
    user = messages[1].content
    assert "error[E0308]: mismatched types" in user and "error[E0425]: c" in user
    assert f"```rust\n{text.rstrip()}\n```" in user
    assert "whole corrected file" in user


def test_explanation_excerpt_is_cut_at_a_paragraph() -> None:
    long = "First paragraph.\n\n" + ("word " * 100 + "\n\n") * 5
    excerpt = explanation_excerpt(long, limit=300)
    assert excerpt.startswith("First paragraph.")
    assert excerpt.endswith("[…]") and len(excerpt) <= 310
    assert explanation_excerpt(None) == ""
    assert explanation_excerpt("short") == "short"


def test_style_of_reads_the_model_attribute() -> None:
    class Gemma:
        prompt_style = "chat-no-system"

    class Odd:
        prompt_style = "something else"

    assert style_of(Gemma()) == "chat-no-system"
    assert style_of(Odd()) == "chat"
    assert style_of(object()) == "chat"
