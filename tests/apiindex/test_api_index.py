"""The API index on real crates: real cargo metadata, tree-sitter and SQLite."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rustcoder.apiindex.crate_sources import CrateSourceError, gates_missing, workspace_packages
from rustcoder.apiindex.index_store import (
    ApiIndex,
    IndexReport,
    default_cache_path,
    name_similarity,
)
from rustcoder.cli import main

from .conftest import FIXTURES, write_workspace

DEPS = """uuid = "1"
chrono = "0.4"
serde_json = "1"
tokio = { version = "1", features = ["time"] }
my-lib = { path = "../mylib" }
"""
ONLY = ["uuid", "chrono", "serde_json", "tokio", "my-lib"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, debian_crates: Path) -> Path:
    root = tmp_path_factory.mktemp("apiws")
    shutil.copytree(FIXTURES / "mylib", root / "mylib")
    return write_workspace(root, DEPS)


@pytest.fixture(scope="module")
def indexed(
    workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ApiIndex, IndexReport]:
    index = ApiIndex(tmp_path_factory.mktemp("apicache") / "api.sqlite")
    report = index.index_workspace(workspace, ONLY)
    yield index, report  # type: ignore[misc]
    index.close()


def _ids(report: IndexReport) -> list[int]:
    return list(report.crate_ids.values())


def test_metadata_lists_registry_and_path_packages(workspace: Path) -> None:
    packages = {p.name: p for p in workspace_packages(workspace)}
    assert packages["chrono"].version == "0.4.23"
    assert packages["chrono"].manifest_path == Path(
        "/usr/share/cargo/registry/chrono-0.4.23/Cargo.toml"
    )
    assert packages["my-lib"].source is None  # a path dependency
    assert packages["my-lib"].lib_path == workspace.parent / "mylib" / "src" / "lib.rs"
    assert packages["ws"].lib_path is None
    assert "v4" in packages["uuid"].features
    assert "time" in packages["tokio"].enabled and "v4" not in packages["uuid"].enabled


def test_feature_gated_method(indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, report = indexed
    hits = index.lookup("Uuid::new_v4", _ids(report))
    assert [h.item.path for h in hits] == ["uuid::Uuid::new_v4"]
    assert hits[0].item.features == ("v4",)
    assert hits[0].item.receiver is None
    assert hits[0].item.signature == "fn new_v4() -> Uuid"


def test_chrono_duration_and_nearest_names(indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, report = indexed
    (seconds,) = index.lookup("chrono::Duration::seconds", _ids(report))
    assert seconds.version == "0.4.23"
    assert seconds.item.signature == "fn seconds(seconds: i64) -> Duration"
    assert seconds.item.owner == "chrono::Duration"
    assert index.lookup("Duration::from_secs", _ids(report)) == []
    nearest = [n.item.path for n in index.nearest("Duration::from_secs", _ids(report))]
    assert nearest[0] == "chrono::Duration::seconds"
    assert all(p.startswith("chrono::Duration::") for p in nearest)


def test_reexport_at_crate_root(indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, report = indexed
    (hit,) = index.by_path("serde_json::from_str", _ids(report))
    assert hit.item.kind == "fn"
    assert hit.item.file == "src/de.rs"  # defined in `de`, re-exported at the root
    assert hit.item.signature.startswith("fn from_str<'a, T>(s: &'a str) -> Result<T>")


def test_glob_reexport_resolved(indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, report = indexed
    # chrono: `pub mod serde { pub use super::datetime::serde::*; }`
    hits = index.by_path("chrono::serde::ts_seconds::deserialize", _ids(report))
    assert hits and hits[0].item.features == ("serde",)
    # fixture: `pub use shapes::*;` puts Circle and its methods at the root
    assert index.by_path("my_lib::Circle", _ids(report))[0].item.kind == "struct"
    (area,) = index.by_path("my_lib::Circle::area", _ids(report))
    assert area.item.receiver == "&self"


def test_tokio_sleep_signature_and_feature(indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, report = indexed
    (sleep,) = index.lookup("tokio::time::sleep", _ids(report))
    assert sleep.item.signature == "fn sleep(duration: Duration) -> Sleep"
    assert sleep.item.features == ("time",)  # from the `cfg_time! { pub mod time; }` block
    (duration,) = index.lookup("tokio::time::Duration", _ids(report))
    assert duration.item.kind == "reexport" and duration.item.target == "std::time::Duration"


def test_reexports_of_other_crates_are_followed(tmp_path: Path, debian_crates: Path) -> None:
    crate = write_workspace(tmp_path, 'thiserror = "1"\nfutures = "0.3"\n')
    with ApiIndex(tmp_path / "c.sqlite") as index:
        ids = list(
            index.index_workspace(
                crate, ["thiserror", "thiserror-impl", "futures", "futures-util"]
            ).crate_ids.values()
        )
        (glob,) = index.by_path("thiserror::*", ids)
        assert glob.item.target == "thiserror_impl::*"
        (derive,) = index.lookup("thiserror::Error", ids)
        assert (derive.crate, derive.item.kind, derive.item.path) == (
            "thiserror-impl",
            "derive",
            "thiserror_impl::Error",
        )
        nexts = index.lookup("futures::StreamExt::next", ids)
        assert nexts and all(n.crate == "futures-util" for n in nexts)
        assert nexts[0].item.signature.startswith("fn next(&mut self) -> Next<'_, Self>")


def test_fixture_modules_visibility_and_gates(indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, report = indexed
    ids = _ids(report)

    def one(path: str) -> tuple[str, ...]:
        (hit,) = index.by_path(path, ids)
        return hit.item.features

    assert one("my_lib::fancy::sparkle") == ("fancy",)
    assert one("my_lib::add_one") == ("extra", "extra|fancy")
    assert index.by_path("my_lib::weird::ANSWER", ids)[0].item.signature == "const ANSWER: u32"
    assert index.by_path("my_lib::square", ids)[0].item.kind == "macro"
    (secret,) = index.by_path("my_lib::Secret", ids)
    assert secret.item.public and secret.item.doc == "Only reachable through `pub use` at the root."
    assert index.by_path("my_lib::crate_only", ids) == []
    assert index.by_path("my_lib::Circle::private_helper", ids) == []
    assert index.by_path("my_lib::Circle::grow", ids)[0].item.receiver == "&mut self"
    into_parts = {h.item.owner: h.item for h in index.lookup("into_parts", ids)}
    assert into_parts["my_lib::Shape"].receiver == "self"
    assert into_parts["my_lib::Circle"].trait == "Shape"
    assert index.by_path("my_lib::Circle::radius", ids)[0].item.signature == "radius: f64"
    assert index.by_path("my_lib::Circle::secret", ids) == []
    assert index.by_path("my_lib::Kind::Round", ids)[0].item.kind == "variant"
    assert index.by_path("my_lib::ping::pong_fn", ids) and index.by_path(
        "my_lib::pong::ping_fn", ids
    )
    assert [h.item.kind for h in index.by_path("my_lib::pong::Circle", ids)] == ["enum"]
    traits = index.traits_of("my_lib::Circle", ids)
    assert ("Shape", False) in traits and ("Clone", True) in traits and ("Debug", True) in traits


def test_second_run_is_a_cache_hit(workspace: Path, indexed: tuple[ApiIndex, IndexReport]) -> None:
    index, first = indexed
    assert sorted(first.parsed) == sorted(
        ["uuid@1.2.1", "chrono@0.4.23", "serde_json@1.0.87", "tokio@1.24.2", "my-lib@0.2.0"]
    )
    again = ApiIndex(index.path)
    try:
        second = again.index_workspace(workspace, ONLY)
    finally:
        again.close()
    assert again.parse_count == 0
    assert second.parsed == [] and second.files_parsed == 0
    assert second.crate_ids == first.crate_ids
    assert second.items == first.items > 3000


def test_changed_lockfile_indexes_only_the_new_crate(tmp_path: Path, debian_crates: Path) -> None:
    crate = write_workspace(tmp_path, 'uuid = "1"\n')
    with ApiIndex(tmp_path / "cache.sqlite") as index:
        first = index.index_workspace(crate)
        # std (from the toolchain's docs, when installed) comes with every workspace
        with_std = [label for label in first.parsed if label.startswith("std@")]
        assert first.parsed == ["uuid@1.2.1", *with_std] and first.skipped == ["ws@0.1.0"]
        # indexing leaves the user's files alone: cargo metadata's lock file is put back
        assert not (crate / "Cargo.lock").exists()
        (crate / "Cargo.lock").write_text("# the user's own lock file\n")
        (crate / "Cargo.toml").write_text((crate / "Cargo.toml").read_text() + 'anyhow = "1"\n')
        second = index.index_workspace(crate)
        assert (crate / "Cargo.lock").read_text() == "# the user's own lock file\n"
        assert second.parsed == ["anyhow@1.0.69"]
        assert second.reused == ["uuid@1.2.1", *with_std]
        assert index.parse_count == 2 + len(with_std)


def test_content_addressed_across_workspaces(tmp_path: Path, debian_crates: Path) -> None:
    """A copy of a path crate at another place is the same content: not parsed again."""
    with ApiIndex(tmp_path / "cache.sqlite") as index:
        for n in (1, 2):
            root = tmp_path / f"w{n}"
            shutil.copytree(FIXTURES / "mylib", root / "mylib")
            write_workspace(root, 'my-lib = { path = "../mylib" }\n')
            index.index_workspace(root / "ws", ["my-lib"])
        assert index.parse_count == 1
        (tmp_path / "w2" / "mylib" / "src" / "odd" / "renamed.rs").write_text(
            "pub const ANSWER: u8 = 1;\n"
        )
        report = index.index_workspace(tmp_path / "w2" / "ws", ["my-lib"])
        assert report.parsed == ["my-lib@0.2.0"]
        assert [h.item.signature for h in index.by_path("my_lib::weird::ANSWER", _ids(report))] == [
            "const ANSWER: u8"
        ]


def test_gates_missing() -> None:
    assert gates_missing(("v4",), ("std",)) == ["v4"]
    assert gates_missing(("extra|fancy", "time"), ("fancy", "time")) == []
    assert gates_missing((), ()) == []


def test_name_similarity_prefers_words() -> None:
    assert name_similarity("from_secs", "seconds") > name_similarity("from_secs", "hours")
    assert name_similarity("from_secs", "seconds") > name_similarity("from_secs", "from_std")
    assert name_similarity("newV4", "new_v4") > name_similarity("newV4", "nil")
    assert name_similarity("sleep", "sleep") == 1.0


def test_cli_lookup_json(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cli.sqlite"
    argv = ["kb", "api", str(workspace), "--cache", str(cache), "--only", "uuid", "--json"]
    assert main([*argv, "--lookup", "Uuid::new_v4"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["index"]["parsed"] == ["uuid@1.2.1"]
    assert out["matches"][0]["path"] == "uuid::Uuid::new_v4"
    assert out["matches"][0]["features"] == ["v4"]
    assert out["matches"][0]["features_disabled"] == ["v4"]  # uuid = "1" without features
    assert main([*argv, "--lookup", "Uuid::new_v5000"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["index"]["parsed"] == [] and out["matches"] == []
    assert "uuid::Uuid::new_v4" in [n["path"] for n in out["nearest"]]


def test_cli_text_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], debian_crates: Path
) -> None:
    crate = write_workspace(tmp_path, 'uuid = "1"\n')
    cache = ["--cache", str(tmp_path / "c.sqlite")]
    assert main(["kb", "api", str(crate), *cache, "--lookup", "Uuid::new_v4"]) == 0
    out = capsys.readouterr().out
    assert "uuid::Uuid::new_v4  (uuid 1.2.1, method)  [feature: v4, not enabled here: v4]" in out
    assert "fn new_v4() -> Uuid" in out
    assert main(["kb", "api", str(crate), *cache, "--lookup", "tokio::time::sleep"]) == 1
    assert "not found" in capsys.readouterr().out
    (crate / "Cargo.toml").write_text(
        (crate / "Cargo.toml")
        .read_text()
        .replace('uuid = "1"', 'uuid = { version = "1", features = ["v4"] }')
    )
    assert main(["kb", "api", str(crate), *cache, "--lookup", "Uuid::new_v4"]) == 0
    assert "[feature: v4]" in capsys.readouterr().out
    assert main(["kb", "api", str(tmp_path / "nowhere"), *cache]) == 2
    assert "does not exist" in capsys.readouterr().err
    (crate / "Cargo.toml").write_text("[package\nname=")
    assert main(["kb", "api", str(crate), *cache]) == 1
    assert "cargo metadata failed" in capsys.readouterr().err


def test_metadata_error_is_clear(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "x"\nversion = "0.1.0"\n[dependencies]\nnope-404 = "9"\n'
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text("")
    with pytest.raises(CrateSourceError, match="cargo metadata failed"):
        workspace_packages(tmp_path)
    assert subprocess.run(["cargo", "--version"], capture_output=True).returncode == 0


def test_unreadable_cache_is_set_aside(tmp_path: Path, debian_crates: Path) -> None:
    crate = write_workspace(tmp_path, 'uuid = "1"\n')
    cache = tmp_path / "api.sqlite"
    cache.write_bytes(b"this is not a SQLite file" * 100)
    with ApiIndex(cache) as index:
        assert index.set_aside is not None
        assert index.set_aside.read_bytes().startswith(b"this is not")
        assert index.index_workspace(crate, ["uuid"]).parsed == ["uuid@1.2.1"]
    with ApiIndex(cache) as index:
        assert index.set_aside is None and index.index_workspace(crate, ["uuid"]).parsed == []


class _LateIndex(ApiIndex):
    """Misses its first cache check: another process stores the crate in between."""

    missed = False

    def _crate_id(self, key: str) -> int | None:
        if not self.missed:
            self.missed = True
            return None
        return super()._crate_id(key)


def test_same_crate_stored_by_another_process_meanwhile(
    tmp_path: Path, debian_crates: Path
) -> None:
    crate = write_workspace(tmp_path, 'uuid = "1"\n')
    (pkg,) = [p for p in workspace_packages(crate) if p.name == "uuid"]
    with ApiIndex(tmp_path / "c.sqlite") as other, _LateIndex(tmp_path / "c.sqlite") as late:
        other_id, _, _ = other.ensure_crate(pkg)
        late_id, parsed, _ = late.ensure_crate(pkg)
        assert parsed and late_id == other_id
        assert late.db.execute("SELECT COUNT(*) FROM crates").fetchone()[0] == 1


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RUSTCODER_API_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "rustcoder" / "api-index.sqlite"
    monkeypatch.setenv("RUSTCODER_API_CACHE", str(tmp_path / "mine.sqlite"))
    assert default_cache_path() == tmp_path / "mine.sqlite"
    with ApiIndex() as index:
        assert index.path == tmp_path / "mine.sqlite" and index.stats()["crates"] == 0
