"""Shadow copies of a workspace where candidate fixes are compiled.

The user's files change only through an edit the user applies, so every
candidate is compiled in a copy. Copies live in the temp dir and persist
between checks (with their own target dirs), so each verification is an
incremental check. A slot is locked with flock while in use, so two servers or
a server and the CLI never share one.

Cargo decides freshness by mtime, so every write here stamps a new, strictly
increasing mtime: restoring a file to older content must still look newer than
the last build, or cargo would reuse artifacts of a different candidate.

Relative paths must keep meaning what they mean for the real crate
(`path = "../mylib"`, `[patch]`, `include_str!("../../data")`), so a copy sits
at the workspace's own absolute path under a private root (`<slot>/fs/home/u/app`
for `/home/u/app`), and every directory above it holds links to the real
entries beside the workspace: `../mylib` in the copy is the real `../mylib`,
read where it is and never written.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rustcoder.cargo.offsets import read_source
from rustcoder.fix.edits import Edit, apply_edits, group_by_file

SKIP_DIRS = {"target", ".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__"}
MAX_FILES = 20_000
#: Every crate `cargo vendor` writes (and every directory-source crate) has one.
VENDORED_MARK = ".cargo-checksum.json"
MAX_FILE_BYTES = 16 * 1024 * 1024

Signature = tuple[object, ...]


def shadow_base_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"rustcoder-shadow-{os.getuid()}"


def walk_entries(root: Path) -> Iterator[tuple[Path, bool]]:
    """(path, is_dir_link) for the files and directory links of a workspace.

    No build output, no VCS data. A symlinked directory is reported, not
    entered: the shadow copy recreates the link, so it builds what cargo builds.
    A dot directory is reported the same way: the copy links the real one, and
    so is a vendored crate (`cargo vendor` output: thousands of files no fix
    edits, which would otherwise be copied into every slot).
    """
    count = 0
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        if directory != root and any(e.name == VENDORED_MARK for e in entries):
            yield directory, True  # a vendored crate: read in place, never edited
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIP_DIRS:
                    continue
                if entry.name.startswith("."):
                    # Editor and tool data (`.cargo`, `.sqlx`, `.idea`): linked, not copied.
                    yield Path(entry.path), True
                    continue
                stack.append(Path(entry.path))
            elif entry.is_symlink() and entry.is_dir():
                if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                    yield Path(entry.path), True
            elif entry.is_file():
                count += 1
                if count > MAX_FILES:
                    return
                yield Path(entry.path), False


def walk_sources(root: Path) -> Iterator[Path]:
    """Files of a workspace worth copying: no build output, no VCS data."""
    return (path for path, is_link in walk_entries(root) if not is_link)


class _Clock:
    """Strictly increasing nanosecond timestamps for writes."""

    last = 0

    @classmethod
    def next(cls) -> int:
        now = max(time.time_ns(), cls.last + 1_000_000)
        cls.last = now
        return now


def _clear(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _stays_inside(dest: Path, root: Path) -> bool:
    """Whether writing `dest` writes inside the copy, not through a link out of it."""
    return dest.parent.resolve().is_relative_to(root) and (
        dest.is_symlink() or not dest.exists() or dest.resolve().is_relative_to(root)
    )


def _link(path: Path, target: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear(path)
    os.symlink(target, path)


def real_dir_under(fs_root: Path, rel: Path) -> Path:
    """`fs_root / rel` as a real directory physically inside `fs_root`, never through a link.

    A link met on the way (one this module made) is removed, never followed:
    everything written or removed under the mirror stays inside it.
    """
    current = fs_root
    current.mkdir(parents=True, exist_ok=True)
    for part in rel.parts:
        current = current / part
        if current.is_symlink():
            current.unlink()
        if not current.is_dir():
            current.mkdir()
    if not current.resolve().is_relative_to(fs_root.resolve()):
        raise RuntimeError(f"shadow mirror {current} leads outside {fs_root}")
    return current


def link_surroundings(fs_root: Path, source_root: Path) -> None:
    """In the mirror under `fs_root`, link every real entry beside `source_root` and its ancestors.

    Only links are made or removed here, each pointing at the same absolute path
    outside: what a relative path reaches from the copy is what it reaches from
    the real workspace. Nothing that is not a link is ever removed.
    """
    child = source_root
    for ancestor in source_root.parents:
        mirror = real_dir_under(fs_root, ancestor.relative_to(ancestor.anchor))
        try:
            real_names = {entry.name for entry in os.scandir(ancestor)}
        except OSError:
            real_names = set()
        real_names.discard(child.name)
        with os.scandir(mirror) as entries:
            for entry in entries:
                if entry.name not in real_names and entry.is_symlink():
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        for name in real_names:
            link = mirror / name
            target = str(ancestor / name)
            if link.is_symlink():
                with contextlib.suppress(OSError):
                    if os.readlink(link) == target:
                        continue
                    link.unlink()
            elif os.path.lexists(link):
                continue  # not made here: left alone
            with contextlib.suppress(OSError):
                os.symlink(target, link)
        child = ancestor


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    tmp = path.with_name(path.name + ".rustcoder-tmp")
    tmp.write_bytes(data)
    stamp = _Clock.next()
    os.utime(tmp, ns=(stamp, stamp))
    os.replace(tmp, path)


@dataclass
class ShadowSlot:
    """One copy of the workspace and its target dir, owned while its lock is held."""

    root: Path
    target_dir: Path
    lock_file: IO[bytes]
    #: The private root the copy's absolute layout is mirrored under.
    fs_root: Path | None = None
    #: What each relative path in the copy currently holds.
    state: dict[Path, Signature] = field(default_factory=dict)

    def sync(self, source_root: Path, overlays: dict[Path, str]) -> None:
        """Make the copy equal to the source workspace plus `overlays` (absolute paths)."""
        if self.fs_root is not None:
            real_dir_under(self.fs_root, self.root.relative_to(self.fs_root))
            link_surroundings(self.fs_root, source_root.absolute())
        wanted: dict[Path, tuple[Signature, Path | None, str | None]] = {}
        # A large file is linked, not copied, while this slot has never built (so
        # cargo cannot hold artifacts of an edited copy); once edited it is copied.
        may_link = not self.target_dir.exists()
        for path, is_dir_link in walk_entries(source_root):
            rel = path.relative_to(source_root)
            if is_dir_link:
                wanted[rel] = (("dirlink", self._link_target(source_root, path)), None, None)
                continue
            if path in overlays:
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            kind = "disk"
            if st.st_size > MAX_FILE_BYTES and (may_link or self.state.get(rel, ("",))[0] == "big"):
                kind = "big"
            wanted[rel] = ((kind, st.st_size, st.st_mtime_ns), path, None)
        for path, overlay in overlays.items():
            rel = path.relative_to(source_root)
            wanted[rel] = (("text", hashlib.sha256(overlay.encode()).hexdigest()), None, overlay)
        for rel in list(self.state):
            if rel not in wanted:
                with contextlib.suppress(OSError):
                    _clear(self.root / rel)
                del self.state[rel]
        root = self.root.resolve()
        for rel, (signature, disk_path, text) in wanted.items():
            dest = self.root / rel
            if self.state.get(rel) == signature and (dest.exists() or dest.is_symlink()):
                continue
            if not _stays_inside(dest, root):
                # Under a linked directory (a dot dir, a vendored crate): writing here
                # would write the user's real file. The copy keeps the real content.
                self.state.pop(rel, None)
                continue
            if signature[0] == "dirlink":
                _link(dest, str(signature[1]))
            elif signature[0] == "big" and disk_path is not None:
                _link(dest, str(disk_path.resolve()))
            elif disk_path is not None:
                try:
                    data = disk_path.read_bytes()
                except OSError:
                    continue
                _write(dest, data)
            else:
                _write(dest, (text or "").encode())
            self.state[rel] = signature

    def _link_target(self, source_root: Path, link: Path) -> str:
        """Where a directory link points in the copy: same place inside, the real one outside.

        A real directory reported as a link (a dot directory) is linked as it is.
        """
        if not link.is_symlink():
            return str(link)
        real = link.resolve()
        real_root = source_root.resolve()
        if real.is_relative_to(real_root):
            inside = self.root / real.relative_to(real_root)
            return os.path.relpath(inside, (self.root / link.relative_to(source_root)).parent)
        return str(real)

    def apply(self, source_root: Path, edits: tuple[Edit, ...], read_text: ReadText) -> None:
        """Write a candidate's edits over the synced copy (never through a link out of it)."""
        for path, file_edits in group_by_file(edits).items():
            original = read_text(path)
            if original is None:
                raise FileNotFoundError(path)
            new_text = apply_edits(original, file_edits)
            rel = path.relative_to(source_root)
            dest = self.root / rel
            if not dest.parent.resolve().is_relative_to(self.root.resolve()):
                raise ValueError(f"{rel} is outside the workspace (through a symlink)")
            _write(dest, new_text.encode())
            self.state[rel] = ("text", hashlib.sha256(new_text.encode()).hexdigest())

    @property
    def _state_file(self) -> Path:
        return self.root.parent / "state.json"

    def load_state(self) -> None:
        """Trust the recorded state only if the last holder released cleanly."""
        try:
            raw = json.loads(self._state_file.read_text())
            self._state_file.unlink()
        except (OSError, ValueError):
            self.state = {}
            return
        self.state = {Path(rel): tuple(sig) for rel, sig in raw.items()}

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self._state_file.write_text(
                json.dumps({str(rel): list(sig) for rel, sig in self.state.items()})
            )
        with contextlib.suppress(OSError):
            fcntl.flock(self.lock_file, fcntl.LOCK_UN)
        self.lock_file.close()


class ReadText:
    """Reads workspace files as the engine sees them: overlays first, then disk."""

    def __init__(self, overlays: dict[Path, str], pin: bool = False) -> None:
        self.overlays = overlays
        #: With `pin`, each file's text as first read: a run computes every fix from
        #: one version of a file, and writing back compares against exactly that.
        self.pinned: dict[Path, str] | None = {} if pin else None

    def __call__(self, path: Path) -> str | None:
        if path in self.overlays:
            return self.overlays[path]
        return self.original(path)

    def original(self, path: Path) -> str | None:
        """The file's text on disk (as first read, when pinned), overlays aside."""
        if self.pinned is not None and path in self.pinned:
            return self.pinned[path]
        text = read_source(path)
        if self.pinned is not None and text is not None:
            self.pinned[path] = text
        return text


def acquire_slot(workspace_root: Path, max_slots: int = 8) -> ShadowSlot:
    """A free shadow slot for this workspace (a fresh one beyond `max_slots`)."""
    base = _slots_base(workspace_root)
    base.mkdir(parents=True, exist_ok=True)
    for index in range(max_slots):
        slot_dir = base / f"slot{index}"
        lock = open(base / f"slot{index}.lock", "wb")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        slot = _slot_in(slot_dir, workspace_root, lock)
        slot.load_state()
        return slot
    slot_dir = Path(tempfile.mkdtemp(prefix="slot-extra-", dir=base))
    lock = open(slot_dir / "lock", "wb")  # noqa: SIM115
    return _slot_in(slot_dir, workspace_root, lock)


def _slot_in(slot_dir: Path, workspace_root: Path, lock: IO[bytes]) -> ShadowSlot:
    """The copy sits at the workspace's own absolute path under the slot's `fs` root."""
    fs_root = slot_dir / "fs"
    absolute = workspace_root.absolute()
    root = fs_root / absolute.relative_to(absolute.anchor)
    return ShadowSlot(root=root, target_dir=slot_dir / "target", lock_file=lock, fs_root=fs_root)


def _slots_base(workspace_root: Path) -> Path:
    key = hashlib.sha256(str(workspace_root).encode()).hexdigest()[:16]
    return shadow_base_dir() / key


def slot_target_dirs(workspace_root: Path) -> list[Path]:
    """The target dirs of this workspace's slots (built or not)."""
    base = _slots_base(workspace_root)
    return sorted(base.glob("slot*/target"))


def remove_shadows(workspace_root: Path) -> None:
    shutil.rmtree(_slots_base(workspace_root), ignore_errors=True)
