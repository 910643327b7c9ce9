"""Compare two checks: did a candidate remove its error without adding one?

Diagnostics are compared by (code, message, file), not by line: an edit moves
the lines below it. Errors of a later compiler stage than the target's that
appear once it is gone were hidden, not introduced (rustc skips borrow checking
of bodies that failed type checking), so they do not count against a candidate;
which stage reports what is the table in `fix/stages.py`, and an error it cannot
place is always counted as introduced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.stages import is_cargo_level, is_later, stage_of

ErrorKey = tuple[str, str, str]


def relative_file(file_name: str, root: Path) -> str:
    path = Path(file_name)
    if path.is_absolute():
        try:
            return str(path.relative_to(root))
        except ValueError:
            return file_name
    return file_name


def error_key(diagnostic: RustDiagnostic, root: Path) -> ErrorKey:
    primary = next((s for s in diagnostic.spans if s.is_primary), None)
    file_name = relative_file(primary.file_name, root) if primary else ""
    return (diagnostic.code or "", diagnostic.message, file_name)


def is_error(diagnostic: RustDiagnostic) -> bool:
    return diagnostic.level.startswith("error") and any(s.is_primary for s in diagnostic.spans)


@dataclass
class ErrorSet:
    """The errors of one check, keyed so that checks of shifted code compare."""

    counts: Counter[ErrorKey] = field(default_factory=Counter)
    #: Every diagnostic with a primary span, warnings included (a target may be a lint).
    all_counts: Counter[ErrorKey] = field(default_factory=Counter)

    @classmethod
    def of(cls, diagnostics: list[RustDiagnostic], root: Path) -> ErrorSet:
        located = [d for d in diagnostics if any(s.is_primary for s in d.spans)]
        return cls(
            counts=Counter(error_key(d, root) for d in located if is_error(d)),
            all_counts=Counter(error_key(d, root) for d in located),
        )

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cargo_failures(self) -> list[ErrorKey]:
        """Failures of cargo itself (manifest, resolution, build script): nothing was compiled."""
        return [key for key in self.counts if is_cargo_level(key[0])]


@dataclass
class Comparison:
    target_gone: bool
    #: New errors not provably of a later stage than the target's: the edit caused them.
    introduced: list[ErrorKey]
    #: New errors of a later stage, hidden until the target was fixed.
    revealed: list[ErrorKey]
    remaining: int


def compare(before: ErrorSet, after: ErrorSet, target: ErrorKey) -> Comparison:
    """What a candidate did: an error counts as revealed only with a provably later stage.

    A new error without a code (a syntax error), with a code not in the stage
    table, or of the target's own stage or an earlier one is introduced.
    """
    return compare_batch(before, after, [target])


def compare_batch(before: ErrorSet, after: ErrorSet, targets: Sequence[ErrorKey]) -> Comparison:
    """What several candidates verified in one build did together.

    Each target must be gone (a key listed twice, two errors with the same
    message in one file, must have dropped by two), and a new error counts as
    revealed only when it is of a later stage than every target's.
    """
    needed = Counter(targets)
    target_gone = bool(needed) and all(
        after.all_counts[key] <= before.all_counts[key] - count for key, count in needed.items()
    )
    stages = [stage_of(key[0] or None, key[1]) for key in needed]
    than = None if None in stages else max(s for s in stages if s is not None)
    introduced: list[ErrorKey] = []
    revealed: list[ErrorKey] = []
    for key, count in after.counts.items():
        extra = count - before.counts.get(key, 0)
        if extra <= 0:
            continue
        if is_later(key[0] or None, key[1], than):
            revealed.extend([key] * extra)
        else:
            introduced.extend([key] * extra)
    return Comparison(
        target_gone=target_gone, introduced=introduced, revealed=revealed, remaining=after.total
    )
