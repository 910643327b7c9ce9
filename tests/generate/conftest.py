"""A scripted OpenAI-compatible model for the generation tests (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.models.openai_server import FakeOpenAI

#: The model's first answer: a crate with a use-after-move the fix loop must fix.
BROKEN_CRATE = """Here is the crate.

[filename: Cargo.toml]
[package]
name = "greeter"
version = "0.1.0"
edition = "2021"

[dependencies]

[filename: src/main.rs]
fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

fn main() {
    let names = vec!["Ada".to_string(), "Linus".to_string()];
    let kept = names;
    for name in &names {
        println!("{}", greeting(name));
    }
    println!("{} names", kept.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_by_name() {
        assert_eq!(greeting("Bo"), "Hello, Bo!");
    }
}
"""

DESCRIPTION = "a program that greets a list of people by name"


@pytest.fixture
def fake_model() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server
