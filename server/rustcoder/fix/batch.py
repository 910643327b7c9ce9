"""Several independent fixes verified in one build.

A crate written in one go often has many errors that have nothing to do with
each other. Verifying their fixes one build at a time makes a run as slow as
its number of errors; when the fixes' edits do not touch each other, one
build of all of them answers for all of them at once. If that build fails, the
rounds fall back to one fix at a time, so a batch can cost time but never a fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorKey, ErrorSet
from rustcoder.fix.edits import Edit


@dataclass
class BatchMember:
    candidate: Candidate
    #: The errors this candidate should remove (one edit may fix several).
    targets: list[RustDiagnostic] = field(default_factory=list)
    target_keys: list[ErrorKey] = field(default_factory=list)


def overlaps(a: Edit, b: Edit) -> bool:
    """Edits of one file that touch the same text, or insert at the same place."""
    if a.path != b.path or a == b:
        return False
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one offset: their order would decide the text
    return a.start < b.end and b.start < a.end


def independent(candidate: Candidate, chosen: Iterable[BatchMember]) -> bool:
    """Whether the candidate's edits stay clear of every chosen member's."""
    return not any(
        overlaps(edit, other)
        for member in chosen
        for edit in candidate.edits
        for other in member.candidate.edits
    )


def merged(members: Sequence[BatchMember]) -> Candidate:
    """One candidate with every member's edits (an edit two members share, once)."""
    edits: list[Edit] = []
    for member in members:
        edits.extend(e for e in member.candidate.edits if e not in edits)
    return Candidate(
        title=f"{len(members)} fixes together", source="batch", edits=tuple(edits), score=0.0
    )


def still_there(member: BatchMember, before: ErrorSet, after: ErrorSet) -> bool:
    """After a failed batch: did this member's targets stay (so it is the one to blame)?"""
    return any(after.all_counts[key] >= before.all_counts[key] for key in member.target_keys)
