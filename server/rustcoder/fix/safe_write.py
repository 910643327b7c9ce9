"""Write fixed files without losing what the user has: compare-and-swap, atomic, all or none.

A fix run computes new texts from the files as it first read them. Between that
read and the write the user may save again; writing then would silently drop
their text. So each file is replaced only if its bytes still hash to the text
the fixes were computed from, through a temp file renamed over it (a reader
never sees half a file; mode and owner are kept; the bytes, line endings
included, are exactly the fixed text). The files of one run were verified
together, so either all of them are written or none: one file that cannot be
written (changed meanwhile, read-only, a symlink out of the crate, outside the
workspace) stops the others, and each is reported with its reason.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rustcoder.cargo.offsets import encode_source

#: ioctl FS_IOC_GETFLAGS and the inode flags that refuse any change, even to root.
_FS_IOC_GETFLAGS = 0x80086601
_IMMUTABLE = 0x00000010
_APPEND_ONLY = 0x00000020


@dataclass(frozen=True)
class FileChange:
    """One file to write: the text the fixes were computed from, and the fixed text."""

    path: Path
    before: str
    after: str


@dataclass
class WriteResult:
    path: Path
    written: bool
    #: Why it was not written (None when written).
    reason: str | None = None


class _Refused(Exception):
    """A file that must not be written, with the reason shown to the user."""


def content_hash(text: str) -> str:
    return hashlib.sha256(encode_source(text)).hexdigest()


def _attribute_flags(path: Path) -> int:
    """The inode's chattr flags (0 where the file system has none)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return 0
    try:
        raw = fcntl.ioctl(fd, _FS_IOC_GETFLAGS, struct.pack("l", 0))
        return int(struct.unpack("l", raw)[0])
    except OSError:
        return 0
    finally:
        os.close(fd)


def _destination(change: FileChange, workspace: Path) -> Path:
    """The real file to replace, or _Refused with the reason."""
    path = change.path
    if not path.is_absolute() or not path.is_relative_to(workspace):
        raise _Refused("outside the workspace")
    real_root = workspace.resolve()
    real = path.resolve()
    if not real.is_relative_to(real_root):
        raise _Refused(f"a symlink to {real}, outside the crate")
    try:
        st = real.stat()
    except OSError as exc:
        raise _Refused(f"cannot be read: {exc.strerror}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise _Refused("not a regular file")
    flags = _attribute_flags(real)
    if flags & _IMMUTABLE:
        raise _Refused("read-only (immutable, chattr +i)")
    if flags & _APPEND_ONLY:
        raise _Refused("read-only (append-only, chattr +a)")
    # Root may write a 0444 file; the user marked it read-only all the same.
    if not st.st_mode & 0o222:
        raise _Refused(f"read-only (mode {stat.S_IMODE(st.st_mode):04o})")
    if not os.access(real, os.W_OK) or not os.access(real.parent, os.W_OK | os.X_OK):
        raise _Refused("read-only (no write permission)")
    _check_unchanged(real, change)
    return real


def _check_unchanged(real: Path, change: FileChange) -> None:
    try:
        current = real.read_bytes()
    except OSError as exc:
        raise _Refused(f"cannot be read: {exc.strerror}") from exc
    if hashlib.sha256(current).hexdigest() != content_hash(change.before):
        raise _Refused("changed since the fixes were computed; the new text is kept")


def _stage(real: Path, data: bytes) -> Path:
    """A temp file beside `real` with the new bytes, the same mode and (when possible) owner."""
    st = real.stat()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".rustcoder", dir=real.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        with contextlib.suppress(OSError):
            os.chown(tmp, st.st_uid, st.st_gid)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_files(changes: list[FileChange], workspace: Path) -> list[WriteResult]:
    """Write every change or none; one result per change, in order."""
    workspace = workspace.absolute()
    reasons: dict[Path, str] = {}
    destinations: dict[Path, Path] = {}
    for change in changes:
        try:
            destinations[change.path] = _destination(change, workspace)
        except _Refused as exc:
            reasons[change.path] = str(exc)
    if not reasons:
        reasons = _swap_all(changes, destinations)
    if not reasons:
        return [WriteResult(change.path, True) for change in changes]
    blocked = ", ".join(
        str(p.relative_to(workspace)) if p.is_relative_to(workspace) else str(p) for p in reasons
    )
    return [
        WriteResult(
            change.path,
            False,
            reasons.get(change.path)
            or f"not written because {blocked} could not be (the fixes were verified together)",
        )
        for change in changes
    ]


def _swap_all(changes: list[FileChange], destinations: dict[Path, Path]) -> dict[Path, str]:
    """Stage all temp files, re-check each file, rename; undo the renames on any failure."""
    staged: list[tuple[FileChange, Path, Path]] = []
    done: list[tuple[Path, bytes, Path]] = []
    try:
        for change in changes:
            real = destinations[change.path]
            staged.append((change, real, _stage(real, encode_source(change.after))))
        for change, real, tmp in staged:
            original = real.read_bytes()
            if hashlib.sha256(original).hexdigest() != content_hash(change.before):
                raise _Refused("changed since the fixes were computed; the new text is kept")
            try:
                os.replace(tmp, real)
            except OSError as exc:
                raise _Refused(_os_reason(exc)) from exc
            done.append((real, original, change.path))
        return {}
    except (_Refused, OSError) as exc:
        failed = staged[len(done)][0].path if len(done) < len(staged) else changes[0].path
        reason = str(exc) if isinstance(exc, _Refused) else _os_reason(exc)
        for real, original, _ in reversed(done):
            with contextlib.suppress(OSError):
                os.replace(_stage(real, original), real)
        return {failed: reason}
    finally:
        for _, _, tmp in staged:
            tmp.unlink(missing_ok=True)


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"read-only ({exc.strerror})"
    return f"could not be written: {exc.strerror or exc}"
