"""What counts as a placeholder, and how a crate's progress through rustc is ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.stages import Stage, crate_rank, describe_errors, root_cause_order
from rustcoder.fix.stubs import added_placeholder, code_only, stub_of

BODY = "fn area(w: u32, h: u32) -> u32 {\n    w * h\n}\n"


@pytest.mark.parametrize(
    ("new_body", "expected"),
    [
        ("    todo!()", "todo!()"),
        ("    todo! ()", "todo!()"),
        ('    unimplemented!("later")', "unimplemented!()"),
        ('    panic!("no area")', "panic!"),
        ('    std::panic!("no area")', "panic!"),
        ("    unreachable!()", "unreachable!()"),
        ("    unsafe { std::mem::transmute(w * h) }", "unsafe"),
        ("    #[allow(clippy::all)]\n    let a = w * h;\n    a", "#[allow(...)]"),
        ("    #[expect(unused)]\n    let a = w * h;\n    a", "#[allow(...)]"),
        ("    w.saturating_mul(h)", None),
        ("    // todo!() one day\n    w * h", None),
        ("    /* unsafe { panic!() } /* nested */ */ w * h", None),
        ('    let _m = "todo!() unsafe #[allow(x)]";\n    w * h', None),
        ('    let _m = r#"panic!("x")"#;\n    w * h', None),
        ("    let _c = '!';\n    w * h", None),
    ],
)
def test_added_placeholders(new_body: str, expected: str | None) -> None:
    after = BODY.replace("    w * h", new_body)
    assert added_placeholder(BODY, after) == expected


def test_a_placeholder_already_there_or_moved_is_not_added() -> None:
    before = "fn f() -> u32 {\n    todo!()\n}\nunsafe fn g() {}\n"
    moved = "unsafe fn g() {}\nfn f() -> u32 {\n    todo!()\n}\n"
    assert added_placeholder(before, moved) is None
    assert added_placeholder(before, before.replace("todo!()", "1")) is None
    assert added_placeholder(before, before + "fn h() { todo!() }\n") == "todo!()"


def test_code_only_keeps_offsets_and_lifetimes() -> None:
    text = "fn f<'a>(s: &'a str) -> char { let _x = \"a//b\"; 'x' } // end"
    code = code_only(text)
    assert len(code) == len(text)
    assert "'a" in code and "&'a str" in code
    assert "a//b" not in code and "'x'" not in code and "end" not in code


def test_stub_of_reads_the_candidates_files(tmp_path: Path) -> None:
    path = tmp_path / "lib.rs"
    texts = {path: BODY}
    start = BODY.index("w * h")
    stub = Candidate("stub", "model", (Edit(path, start, start + 5, "todo!()"),))
    real = Candidate("real", "learned", (Edit(path, start, start + 5, "h * w"),))
    assert stub_of(stub, texts.get) == "todo!()"
    assert stub_of(real, texts.get) is None


def test_root_causes_come_first_and_rank_compares_stage_then_count() -> None:
    errors = [("E0382", "use of moved value"), ("E0308", "mismatched types")]
    errors.append(("E0425", "cannot find value `x`"))
    errors.append((None, "expected one of `;`"))
    ordered = sorted(errors, key=lambda e: root_cause_order(*e))
    assert [code for code, _ in ordered] == ["E0425", "E0308", "E0382", None]
    typeck = crate_rank([("E0308", "mismatched types")])
    # Two borrow-check errors are better than one type error: the crate gets further.
    assert crate_rank([("E0382", "a"), ("E0499", "b")]) < typeck
    assert crate_rank([("E0308", "a"), ("E0308", "b")]) > typeck
    assert crate_rank([("E0425", "a")]) > typeck
    assert crate_rank([]) < crate_rank([("E0382", "a")])
    assert crate_rank([(None, "x"), ("E0382", "a")])[0] == -int(Stage.MIR)
    assert describe_errors([("E0382", "a"), ("E0499", "b"), ("E0308", "c")]) == (
        "1 type error, 2 borrow-check errors"
    )
