"""The recipe source finds the user's code even when rustc points into a std macro."""

from __future__ import annotations

from pathlib import Path

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.rounds import fix_workspace


async def test_span_inside_a_std_macro_is_followed_to_the_call_site(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "thresholds"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (tmp_path / "src" / "main.rs").write_text(
        "const STEPS: Vec<u8> = vec![1, 2, 4];\n\n"
        'fn main() {\n    println!("{:?}", STEPS.iter().sum::<u8>());\n}\n'
    )
    report = await fix_workspace(CargoWorkspace(root=tmp_path, manifest=tmp_path / "Cargo.toml"))
    # rustc's primary span for this E0015 lies in alloc's macros.rs, not in the crate.
    assert report.errors_before >= 1 and report.errors_after == 0, report.unfixed
    assert report.applied[0].code == "E0015" and report.applied[0].source == "kb"
    (after,) = [text for _, text in report.changed.values()]
    assert "LazyLock" in after and "vec![1, 2, 4]" in after
