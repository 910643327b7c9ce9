"""Offline crates: what the directory source holds, what the prompt says, what is refused."""

from __future__ import annotations

from pathlib import Path

from rustcoder.generate.prompt import generation_messages
from rustcoder.generate.registry import available_crates, unavailable_dependencies
from rustcoder.generate.templates import shipped_templates


def _crate(root: Path, dirname: str) -> None:
    (root / dirname).mkdir(parents=True)
    (root / dirname / "Cargo.toml").write_text("[package]\n")


def test_directory_source_lists_newest_versions(tmp_path: Path) -> None:
    _crate(tmp_path, "serde-1.0.197")
    _crate(tmp_path, "serde-1.0.210")
    _crate(tmp_path, "itoa-1.0.11")
    (tmp_path / "not-a-crate").mkdir()
    assert available_crates(tmp_path) == {"serde": "1.0.210", "itoa": "1.0.11"}
    assert available_crates(None) == {}
    assert available_crates(tmp_path / "missing") == {}


def test_dependencies_outside_the_registry_are_named() -> None:
    manifest = (
        '[package]\nname = "x"\n\n[dependencies]\nserde = "1"\nlocal = { path = "../local" }\n'
        '\n[dev-dependencies]\nproptest = "1"\n'
    )
    assert unavailable_dependencies(manifest, {"serde": "1.0.210"}) == ["proptest"]
    assert unavailable_dependencies(manifest, {}) == ["serde", "proptest"]
    assert "does not parse" in unavailable_dependencies("[package", {})[0]


def test_prompt_says_std_only_without_a_registry_and_lists_crates_with_one() -> None:
    examples = list(shipped_templates()[:1])
    (system, user) = generation_messages("a tool", "fast", examples, {})
    assert system.role == "system" and "[filename:" in system.content
    assert "only the Rust standard library" in user.content and "fast" in user.content
    assert examples[0].files["Cargo.toml"].strip() in user.content
    (_, user) = generation_messages("a tool", "", [], {"serde": "1.0.210"})
    assert 'serde = "1.0.210"' in user.content
    (only,) = generation_messages("a tool", "", [], {}, prompt_style="chat-no-system")
    assert only.role == "user" and "[filename:" in only.content


def test_online_prompt_allows_crates_io() -> None:
    (_, user) = generation_messages("a tool", "", [], {}, online=True)
    assert "crates.io" in user.content and "must stay empty" not in user.content
