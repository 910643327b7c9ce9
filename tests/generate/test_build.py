"""Building and running submitted crates, contained, with real cargo."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from pathlib import Path

import pytest

from rustcoder.generate.build import CrateError, compile_files
from rustcoder.generate.flattened import UnsafePathError
from rustcoder.sandbox import RUN_LIMITS, Limits
from tests.generate.test_sandbox import _alive

MANIFEST = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'


def crate(main: str, name: str = "probe", **extra: str) -> dict[str, str]:
    return {"Cargo.toml": MANIFEST.format(name=name), "src/main.rs": main, **extra}


async def test_builds_and_runs() -> None:
    result = await compile_files(crate('fn main() { println!("sum {}", 2 + 3); }'))
    assert result.build_success and result.build_output == "Build successful"
    assert result.run_success and result.run_output == "sum 5\n"
    assert "[filename: Cargo.toml]" in result.combined_text


async def test_compile_error_is_reported_in_rustc_words() -> None:
    result = await compile_files(crate('fn main() { let x: u8 = "no"; }'))
    assert not result.build_success
    assert "error[E0308]: mismatched types" in result.build_output
    assert result.run_success is None


async def test_missing_manifest_gets_a_default_one() -> None:
    result = await compile_files({"src/main.rs": "fn main() {}"}, run=False)
    assert result.build_success
    assert "Cargo.toml" in result.files


async def test_infinite_loop_in_main_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    import rustcoder.generate.build as build

    monkeypatch.setattr(build, "RUN_LIMITS", dataclasses.replace(RUN_LIMITS, wall_seconds=1.0))
    result = await compile_files(crate("fn main() { loop { std::hint::spin_loop(); } }"))
    assert result.build_success
    assert result.run_success is False
    assert "time limit" in result.run_output


async def test_huge_allocation_in_main_is_stopped() -> None:
    main = 'fn main() { let v = vec![1u8; 8 << 30]; println!("{}", v[12345]); }'
    result = await compile_files(crate(main))
    assert result.build_success
    assert result.run_success is False
    assert "1\n" not in result.run_output


async def test_build_script_that_spawns_without_end_is_stopped() -> None:
    marker = f"buildbomb{os.getpid()}"
    build_rs = (
        "use std::process::Command;\n"
        "fn main() {\n"
        "    loop {\n"
        f'        let _ = Command::new("sleep").arg("300").arg("{marker}").spawn();\n'
        "    }\n"
        "}\n"
    )
    files = crate("fn main() {}", **{"build.rs": build_rs})
    result = await compile_files(files, limits=Limits(wall_seconds=8.0, processes=64))
    assert not result.build_success
    await asyncio.sleep(0.3)
    assert _alive(marker) == []


async def test_paths_outside_the_crate_are_refused() -> None:
    with pytest.raises(UnsafePathError):
        await compile_files({"src/main.rs": "fn main() {}", "../../evil.rs": ""})
    with pytest.raises(CrateError, match="no Rust source"):
        await compile_files({"Cargo.toml": MANIFEST.format(name="x")})


def test_temp_dirs_are_removed(tmp_path: Path) -> None:
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("rustcoder-crate-*"))
    asyncio.run(compile_files(crate("fn main() {}"), run=False))
    assert set(Path(tempfile.gettempdir()).glob("rustcoder-crate-*")) == before
