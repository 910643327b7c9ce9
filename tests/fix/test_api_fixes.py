"""API-aware fixes on programs that call APIs that do not exist or sit behind a feature.

Each program in tests/data/api_programs is what a language model writes
(`chrono::Duration::from_secs`, `Uuid::new_v4()` without the `v4` feature,
`serde_json::to_str`, `Vec::push_all` ...). `rustcoder fix --apply` runs on
each as a user would (real cargo over Debian's crate sources, the real API
index of the crates and of std's rustdoc pages), then plain `cargo build`
must accept the result. One fix run per program, all sharing the user's API
cache (std and each crate parsed once per machine) and one target dir for the
final builds, so dependencies build once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from rustcoder.apiindex.index_store import ApiIndex
from rustcoder.apiindex.workspace_api import WorkspaceApi
from rustcoder.cargo.messages import parse_cargo_output
from rustcoder.fix.api_source import ApiSource
from rustcoder.fix.candidate import FixContext
from rustcoder.fix.shadow import remove_shadows
from tests.apiindex.conftest import CARGO_CONFIG, REGISTRY

DATA = Path(__file__).resolve().parents[1] / "data" / "api_programs"
NEEDED = ("chrono-0.4.23", "uuid-1.2.1", "serde_json-1.0.87", "itertools-0.10.3", "getrandom-0.2.8")


@dataclass(frozen=True)
class Expect:
    code: str
    #: What the fix's title says (the real item it chose).
    title: str
    #: Text the fixed file holds (and the file it is in).
    fixed: str
    file: str = "src/main.rs"


CASES = {
    "chrono_from_secs": Expect("E0599", "Duration::seconds", "Duration::seconds(30)"),
    "uuid_new_v4": Expect(
        "E0599",
        "enable feature `v4` of `uuid` in Cargo.toml (changes the manifest)",
        'uuid = { version = "1", features = ["v4"] }',
        "Cargo.toml",
    ),
    "serde_json_to_str": Expect("E0425", "serde_json::to_string", "serde_json::to_string(&config)"),
    "serde_json_value_type": Expect("E0425", "serde_json::Value", "&serde_json::Value"),
    "itertools_join_with": Expect("E0599", "Itertools::join", 'names.iter().join(", ")'),
    "chrono_private_path": Expect("E0603", "chrono::NaiveDate", "chrono::NaiveDate::from_ymd_opt"),
    "chrono_std_duration": Expect(
        "E0308", "convert to `std::time::Duration`", "pause_for(backoff.to_std()"
    ),
    "vec_push_all": Expect("E0599", "Extend::extend", "primes.extend(&[5, 7, 11])"),
    "vec_sort_ascending": Expect("E0599", "Vec::sort", "values.sort"),
    "hashmap_insert_or_update": Expect(
        "E0599", "HashMap::insert", 'stock.insert("apples".to_string(), 12)'
    ),
    "std_instant_path": Expect("E0433", "std::time::Instant", "std::time::Instant::now()"),
    "process_quit": Expect("E0425", "std::process::exit", "std::process::exit(2)"),
    "string_length_field": Expect("E0609", "String::len", "word.len()"),
    "io_buffered_reader": Expect(
        "E0432", "std::io::BufReader", "let reader = BufReader::new(File::open(path)?);"
    ),
}


@pytest.fixture(scope="module")
def fixed_programs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    """Every program copied under a directory-source config, fixed once with `rustcoder fix`."""
    missing = [n for n in NEEDED if not (REGISTRY / n).is_dir()]
    if missing or shutil.which("cargo") is None:
        pytest.skip(
            f"needs cargo and Debian's crate sources (bench/llm-corpus/install.sh): {missing}"
        )
    root = tmp_path_factory.mktemp("api-programs")
    (root / ".cargo").mkdir()
    (root / ".cargo" / "config.toml").write_text(CARGO_CONFIG)
    results: dict[str, tuple[Path, dict]] = {}
    try:
        for name in CASES:
            crate = root / name
            shutil.copytree(DATA / name, crate)
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "rustcoder",
                    "fix",
                    str(crate),
                    "--apply",
                    "--json",
                    "--no-kb",
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert proc.stdout, proc.stderr
            results[name] = (crate, json.loads(proc.stdout))
        yield results  # type: ignore[misc]
    finally:
        for name in CASES:
            remove_shadows(root / name)


@pytest.fixture(scope="module")
def shared_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api-programs-target")


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_api_aware_fix_builds(
    name: str, fixed_programs: dict[str, tuple[Path, dict]], shared_target: Path
) -> None:
    crate, report = fixed_programs[name]
    expect = CASES[name]
    applied = report["applied"]
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
    (fix,) = applied
    assert fix["code"] == expect.code and fix["source"] == "api", fix
    assert expect.title in fix["title"], fix
    assert expect.fixed in (crate / expect.file).read_text()
    build = subprocess.run(
        ["cargo", "build", "--quiet", "--target-dir", str(shared_target)],
        cwd=crate,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stderr


def test_a_struct_literal_field_gets_the_real_field_name(tmp_path: Path) -> None:
    """E0560 on std's `Range { begin, .. }`: the API source proposes the real field `start`
    (a recipe reading rustc's list of fields proposes it too, so `rustcoder fix` may take
    either); checked here on the real diagnostic and the real std index."""
    crate = tmp_path / "range_begin_field"
    shutil.copytree(DATA / "range_begin_field", crate)
    check = subprocess.run(
        ["cargo", "check", "--message-format=json", "--target-dir", str(tmp_path / "t")],
        cwd=crate,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    (target,) = [d for d in parse_cargo_output(check.stdout).diagnostics if d.code == "E0560"]
    cache = tmp_path / "api.sqlite"
    api = WorkspaceApi(lambda: ApiIndex(cache))
    try:
        ctx = FixContext(crate, target, lambda p: p.read_text() if p.is_file() else None)
        candidates = ApiSource(api).candidates(ctx)
    finally:
        api.close()
    assert candidates, "no candidate"
    best = candidates[0]
    assert best.source == "api" and "`Range::start`" in best.title
    (edit,) = best.edits
    assert (edit.new_text, (crate / "src" / "main.rs").read_text()[edit.start : edit.end]) == (
        "start",
        "begin",
    )
