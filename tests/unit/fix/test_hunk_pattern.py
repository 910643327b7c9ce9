"""Learned hunks re-applied to code with other names."""

from __future__ import annotations

from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic, Span
from rustcoder.fix.candidate import FixContext
from rustcoder.fix.edits import apply_edits
from rustcoder.fix.hunk_pattern import HunkPattern, tokenize
from rustcoder.fix.learned_source import LearnedExample, LearnedSource


def test_identifiers_are_variables_bound_consistently() -> None:
    pattern = HunkPattern.learn("let n = takes(name);", "let n = takes(&name);")
    assert pattern is not None
    src = "fn f() {\n    let total = shout(title);\n}\n"
    at = src.index("title")
    assert pattern.apply(src, at, at + 5) == (
        src.index("shout"),
        src.index(");") + 1,
        "shout(&title)",
    )


def test_keywords_and_punctuation_must_match() -> None:
    pattern = HunkPattern.learn("for x in items.iter() {", "for x in items.clone().iter() {")
    assert pattern is not None
    assert pattern.apply("for x in items.into_iter() {", 0, 30) is None


def test_a_binding_used_twice_must_be_the_same_name() -> None:
    pattern = HunkPattern.learn("push(a, a)", "push(a.clone(), a)")
    assert pattern is not None
    assert pattern.apply("push(x, y)", 0, 10) is None
    assert pattern.apply("push(x, x)", 0, 10) == (4, 9, "(x.clone(), x")


def test_only_matches_near_the_error() -> None:
    pattern = HunkPattern.learn("f(a)", "f(&a)")
    assert pattern is not None
    src = "f(a); g(); f(b);"
    near = src.rindex("b")
    assert pattern.apply(src, near, near + 1) == (src.rindex("f"), len(src) - 1, "f(&b)")


def test_no_change_or_tiny_hunks_are_not_patterns() -> None:
    assert HunkPattern.learn("a + b", "a  +  b") is None
    assert [t.text for t in tokenize('x.push_str("a b"); // c')] == [
        "x",
        ".",
        "push_str",
        "(",
        '"a b"',
        ")",
        ";",
    ]


def test_learned_source_proposes_the_reapplied_hunk(tmp_path: Path) -> None:
    lib = tmp_path / "src" / "lib.rs"
    lib.parent.mkdir()
    text = "pub fn g(title: String) -> usize {\n    measure(title)\n}\n"
    lib.write_text(text)
    start = text.index("title)")
    span = Span(
        file_name="src/lib.rs",
        byte_start=start,
        byte_end=start + 5,
        line_start=2,
        line_end=2,
        column_start=13,
        column_end=18,
        is_primary=True,
    )
    diagnostic = RustDiagnostic(message="mismatched types", spans=(span,))
    example = LearnedExample(
        "E0308", "mismatched types", "    shout(name)\n", "    shout(&name)\n", 3
    )
    source = LearnedSource(lambda d: [example])
    ctx = FixContext(
        workspace_root=tmp_path, diagnostic=diagnostic, read_text=lambda p: p.read_text()
    )
    (candidate,) = source.candidates(ctx)
    assert candidate.source == "learned"
    assert "worked 3 times" in candidate.title
    assert apply_edits(text, candidate.edits) == text.replace("measure(title)", "measure(&title)")
