"""The generation prompt: description, requirements, what crates exist, and template examples."""

from __future__ import annotations

from rustcoder.generate.templates import Template
from rustcoder.models.backend import ChatMessage

SYSTEM = (
    "You are an expert Rust engineer. You write complete, idiomatic, compiling Rust 2021 crates "
    "with unit tests. You answer with files only, each introduced by a line "
    "`[filename: relative/path]` followed by the file's full text, and nothing else: "
    "no explanations, no placeholders, no `todo!()`."
)


def dependency_rules(available: dict[str, str], online: bool = False) -> str:
    if online:
        return (
            "Prefer the standard library. Crates from crates.io may be used when they really "
            "help; give exact versions you know exist."
        )
    if not available:
        return (
            "Use only the Rust standard library: the `[dependencies]` section of Cargo.toml "
            "must stay empty (there is no network and no crate registry)."
        )
    listed = ", ".join(f'{name} = "{version}"' for name, version in sorted(available.items()))
    return (
        "Prefer the standard library. If a dependency is really needed, use only these crates "
        f"and exact versions, which are available offline: {listed}."
    )


def generation_messages(
    description: str,
    requirements: str,
    examples: list[Template],
    available_crates: dict[str, str],
    prompt_style: str = "chat",
    online: bool = False,
    api: list[str] | None = None,
) -> list[ChatMessage]:
    """`api`: real signatures of the named crates' entry points (from the API index)."""
    parts = [f"Write a Rust crate: {description.strip()}"]
    if requirements.strip():
        parts.append(f"Requirements:\n{requirements.strip()}")
    parts.append(dependency_rules(available_crates, online))
    if api:
        parts.append(
            "The real API of those crates (signatures as they are; enable a listed Cargo "
            "feature in Cargo.toml when you use its item):\n```text\n" + "\n".join(api) + "\n```"
        )
    parts.append(
        "Give Cargo.toml (package name in snake_case, edition 2021) and src/main.rs "
        "(or src/lib.rs for a library), with `#[cfg(test)]` unit tests for the main logic."
    )
    for example in examples:
        parts.append(f"Example of a good crate ({example.description}):\n\n{example.flattened()}")
    parts.append("Now write the crate. Answer with `[filename: path]` blocks only.")
    user = "\n\n".join(parts)
    if prompt_style == "chat-no-system":
        return [ChatMessage("user", f"{SYSTEM}\n\n{user}")]
    return [ChatMessage("system", SYSTEM), ChatMessage("user", user)]


def retry_message(problem: str) -> ChatMessage:
    return ChatMessage(
        "user",
        f"That answer could not be used: {problem}\n"
        "Answer again with the complete crate as `[filename: path]` blocks only.",
    )
