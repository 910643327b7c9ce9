"""The flattened `[filename: path]` format and path validation."""

from __future__ import annotations

import pytest

from rustcoder.generate.flattened import (
    FlattenedFormatError,
    UnsafePathError,
    format_files,
    parse_files,
    validate_path,
)

RUST_CODER_TEXT = """[filename: Cargo.toml]
[package]
name = "hello"
version = "0.1.0"
edition = "2021"

[dependencies]

[filename: src/main.rs]
fn main() {
    println!("hi");
}
"""


def test_headers_round_trip() -> None:
    files = parse_files(RUST_CODER_TEXT)
    assert list(files) == ["Cargo.toml", "src/main.rs"]
    assert files["src/main.rs"] == 'fn main() {\n    println!("hi");\n}\n'
    assert parse_files(format_files(files)) == files


def test_header_followed_by_a_fence_keeps_only_the_code() -> None:
    text = "[filename: src/lib.rs]\n```rust\npub fn one() -> u8 { 1 }\n```\n"
    assert parse_files(text) == {"src/lib.rs": "pub fn one() -> u8 { 1 }\n"}


def test_fenced_blocks_with_paths_in_info_or_preceding_line() -> None:
    text = (
        "Here is the crate.\n\n"
        '```toml Cargo.toml\n[package]\nname = "x"\n```\n\n'
        "**src/main.rs**\n```rust\nfn main() {}\n```\n\n"
        "// File: src/util.rs\n```rust\npub fn f() {}\n```\n"
        "```rust\nfn unnamed() {}\n```\n"
    )
    files = parse_files(text)
    assert files == {
        "Cargo.toml": '[package]\nname = "x"\n',
        "src/main.rs": "fn main() {}\n",
        "src/util.rs": "pub fn f() {}\n",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "../escape.rs",
        "src/../../x.rs",
        "C:\\win.rs",
        "~/x.rs",
        "",
        "target/x",
        ".cargo/config.toml",
        "a\0b",
    ],
)
def test_unsafe_paths_are_refused(path: str) -> None:
    with pytest.raises(UnsafePathError):
        validate_path(path)


def test_traversal_inside_a_text_is_refused() -> None:
    with pytest.raises(UnsafePathError, match=r"'\.\.' is not allowed"):
        parse_files("[filename: ../../home/user/.bashrc]\necho pwned\n")


def test_text_without_files_is_a_clear_error() -> None:
    with pytest.raises(FlattenedFormatError, match="no files found"):
        parse_files("I could not write this program, sorry.")


def test_normalizes_dot_segments() -> None:
    assert validate_path("./src//main.rs") == "src/main.rs"
