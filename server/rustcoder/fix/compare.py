"""Compare two checks: did a candidate remove its error without adding one?

Diagnostics are compared by (code, message, file), not by line: an edit moves
the lines below it. Errors of a later compiler phase that appear once earlier
errors are gone were hidden, not introduced (rustc skips borrow checking of
bodies that failed type checking), so they do not count against a candidate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic

#: Borrow-checking errors: only reported for bodies that type-checked.
BORROWCK_CODES = {
    "E0381", "E0382", "E0383", "E0384", "E0499", "E0500", "E0501", "E0502", "E0503",
    "E0505", "E0506", "E0507", "E0508", "E0509", "E0510", "E0515", "E0516", "E0521",
    "E0524", "E0594", "E0596", "E0597", "E0626", "E0712", "E0713", "E0716", "E0373",
    "E0793",
}  # fmt: skip
#: Name-resolution errors: reported before type checking runs.
RESOLVE_CODES = {
    "E0404", "E0405", "E0407", "E0408", "E0411", "E0412", "E0415", "E0416", "E0422",
    "E0423", "E0424", "E0425", "E0426", "E0428", "E0429", "E0430", "E0431", "E0432",
    "E0433", "E0434", "E0435", "E0437", "E0438", "E0583", "E0601",
}  # fmt: skip

ErrorKey = tuple[str, str, str]


def phase(code: str | None) -> int:
    if code in RESOLVE_CODES:
        return 0
    if code in BORROWCK_CODES:
        return 2
    return 1


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

    def min_phase(self) -> int:
        return min((phase(code) for code, _, _ in self.counts), default=3)


@dataclass
class Comparison:
    target_gone: bool
    introduced: list[ErrorKey]
    revealed: list[ErrorKey]
    remaining: int


def compare(before: ErrorSet, after: ErrorSet, target: ErrorKey) -> Comparison:
    target_gone = after.all_counts[target] < before.all_counts[target]
    introduced: list[ErrorKey] = []
    revealed: list[ErrorKey] = []
    hidden_from = before.min_phase()
    for key, count in after.counts.items():
        extra = count - before.counts.get(key, 0)
        if extra <= 0:
            continue
        if phase(key[0]) > hidden_from:
            revealed.extend([key] * extra)
        else:
            introduced.extend([key] * extra)
    return Comparison(
        target_gone=target_gone, introduced=introduced, revealed=revealed, remaining=after.total
    )
