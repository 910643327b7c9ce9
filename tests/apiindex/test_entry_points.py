"""Generation prompts carry the real entry points of the offline crates a description names."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.apiindex.entry_points import entry_point_notes, mentioned
from rustcoder.generate.prompt import generation_messages
from rustcoder.generate.registry import available_crates


def test_only_the_crates_a_description_names() -> None:
    crates = {"uuid": "1.2.1", "serde_json": "1.0.87", "regex": "1.7.1"}
    assert mentioned(crates, "Stamp records with a UUID, print serde-json") == [
        "serde_json",
        "uuid",
    ]
    assert mentioned(crates, "a word counter") == []


def test_the_prompt_shows_uuid_with_its_feature_gate(
    debian_crates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUSTCODER_API_CACHE", str(tmp_path / "api.sqlite"))
    crates = available_crates(debian_crates)
    description = "a CLI that stamps each input line with a uuid"
    notes = entry_point_notes(debian_crates, crates, description, max_chars=1500)
    assert "uuid::Uuid::new_v4: fn new_v4() -> Uuid [Cargo feature: v4]" in "\n".join(notes)
    assert sum(len(n) + 1 for n in notes) <= 1500
    messages = generation_messages(description, "", [], crates, api=notes)
    assert "fn new_v4() -> Uuid [Cargo feature: v4]" in messages[-1].content
    assert entry_point_notes(debian_crates, crates, "a word counter") == []
