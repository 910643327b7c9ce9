"""Which rustc stage reports which diagnostic: the table verification trusts.

rustc runs in stages, and an error in one stage hides errors of later stages
in the same code: a body that failed type checking is never borrow-checked, an
unresolved name has an error type that type checking stays silent about. So
when a fix removes its error, new errors of a *later* stage may appear that
were there all along ("revealed"), while a new error of the same or an earlier
stage was introduced by the fix.

Verification may only call an error revealed when its stage is known for sure.
Everything not in this table (an unknown code, a feature gate that any stage
can report, a deny-by-default lint, a syntax error without a code) has no
stage, and a new error without a stage always counts as introduced.

`stage_of` is the single entry point; staged verification builds on `Stage`'s
order: `root_cause_order` sorts errors for fix rounds (resolution, then types,
then borrows) and `crate_rank` says whether a run left the crate worse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum


class Stage(IntEnum):
    """rustc's stages in order; a later stage only sees code that passed the earlier ones."""

    #: Lexing, parsing, macro expansion, module loading, AST validation.
    PARSE = 0
    #: Name resolution: paths, imports, lifetimes in signatures, privacy of paths.
    RESOLVE = 1
    #: Type collection and checking: types, traits, methods, fields, signatures.
    TYPECK = 2
    #: MIR building and its checks: pattern exhaustiveness, unsafety, const checking, borrowck.
    MIR = 3
    #: After borrowck: auto traits of async bodies (Send/Sync), const evaluation,
    #: monomorphization, codegen and linking.
    LATE = 4


_PARSE = """
E0178 E0583 E0584 E0585 E0586 E0449 E0670 E0703 E0704 E0728 E0748 E0758 E0762 E0763
E0765 E0766 E0752
"""
_RESOLVE = """
E0106 E0252 E0253 E0254 E0255 E0259 E0260 E0261 E0262 E0263 E0364 E0365 E0401 E0403
E0404 E0405 E0407 E0408 E0409 E0411 E0412 E0415 E0416 E0422 E0423 E0424 E0425 E0426
E0428 E0429 E0430 E0431 E0432 E0433 E0434 E0435 E0437 E0438 E0463 E0530 E0531 E0532
E0574 E0575 E0576 E0577 E0601 E0603 E0637 E0659
"""
_TYPECK = """
E0023 E0025 E0026 E0027 E0029 E0033 E0034 E0038 E0040 E0046 E0049 E0050 E0053 E0054
E0055 E0057 E0060 E0061 E0062 E0063 E0067 E0069 E0070 E0071 E0072 E0076 E0081 E0084
E0107 E0116 E0117 E0118 E0119 E0120 E0121 E0124 E0131 E0132 E0164 E0184 E0185 E0186
E0191 E0195 E0197 E0198 E0199 E0200 E0201 E0204 E0206 E0207 E0210 E0214 E0220 E0221
E0223 E0225 E0229 E0267 E0268 E0271 E0275 E0276 E0277 E0282 E0283 E0284 E0307 E0308
E0309 E0310 E0317 E0322 E0323 E0324 E0325 E0326 E0367 E0368 E0369 E0370 E0379 E0380
E0390 E0392 E0393 E0436 E0451 E0478 E0491 E0512 E0516 E0517 E0518 E0520 E0527
E0528 E0529 E0559 E0560 E0562 E0565 E0566 E0569 E0570 E0571 E0572 E0581 E0582 E0592
E0593 E0599 E0600 E0604 E0605 E0606 E0607 E0608 E0609 E0610 E0614 E0615 E0616 E0617
E0618 E0620 E0624 E0631 E0635 E0636 E0642 E0643 E0689 E0690 E0691 E0692 E0695 E0706
E0708 E0710 E0714 E0715 E0718 E0720 E0732 E0744 E0746 E0747 E0767 E0770 E0771 E0782
E0790
"""
_MIR = """
E0004 E0005 E0010 E0015 E0133 E0373 E0381 E0382 E0383 E0384 E0492 E0493 E0499 E0500
E0501 E0502 E0503 E0505 E0506 E0507 E0508 E0509 E0510 E0515 E0521 E0524 E0594 E0596
E0597 E0626 E0712 E0713 E0716 E0764 E0793
"""
_LATE = """
E0080 E0733
"""

#: Error code -> stage (a code listed twice would take the earlier stage).
STAGE_OF_CODE: dict[str, Stage] = {}
for _stage, _codes in (
    (Stage.LATE, _LATE),
    (Stage.MIR, _MIR),
    (Stage.TYPECK, _TYPECK),
    (Stage.RESOLVE, _RESOLVE),
    (Stage.PARSE, _PARSE),
):
    STAGE_OF_CODE.update(dict.fromkeys(_codes.split(), _stage))

#: Errors rustc reports without a code whose stage is nonetheless certain (by message).
#: Syntax errors are deliberately absent: a new one always means the edit broke the file.
STAGE_OF_MESSAGE: tuple[tuple[re.Pattern[str], Stage], ...] = (
    (re.compile(r"^future cannot be (sent|shared) between threads safely"), Stage.LATE),
    (re.compile(r"^reached the recursion limit while instantiating"), Stage.LATE),
    (re.compile(r"^linking with `[^`]+` failed"), Stage.LATE),
    (re.compile(r"^evaluation of constant value failed"), Stage.LATE),
)

#: Codes of failures of cargo itself (manifest, resolution, build script), not of rustc.
CARGO_LEVEL_CODES = frozenset({"cargo", "build-script"})


def stage_of(code: str | None, message: str) -> Stage | None:
    """The stage that reports this error, or None when it is not certain."""
    if code:
        return STAGE_OF_CODE.get(code)
    for pattern, stage in STAGE_OF_MESSAGE:
        if pattern.search(message):
            return stage
    return None


def is_later(code: str | None, message: str, than: Stage | None) -> bool:
    """True only when this error is provably of a stage after `than`."""
    stage = stage_of(code, message)
    return stage is not None and than is not None and stage > than


def is_cargo_level(code: str | None) -> bool:
    """A failure of cargo (the build never ran), not a compiler diagnostic."""
    return code in CARGO_LEVEL_CODES


#: What passing a stage is called in a title: "✓ compiles through type checking".
STAGE_NAME: dict[Stage, str] = {
    Stage.PARSE: "parsing",
    Stage.RESOLVE: "name resolution",
    Stage.TYPECK: "type checking",
    Stage.MIR: "borrow checking",
    Stage.LATE: "all checks",
}
#: What an error of a stage is called: "reveals 2 borrow-check errors".
ERROR_NOUN: dict[Stage, str] = {
    Stage.PARSE: "syntax error",
    Stage.RESOLVE: "name-resolution error",
    Stage.TYPECK: "type error",
    Stage.MIR: "borrow-check error",
    Stage.LATE: "late-stage error",
}


def describe_errors(errors: Iterable[tuple[str | None, str]]) -> str:
    """ "2 borrow-check errors, 1 late-stage error": (code, message) pairs counted by stage."""
    counts: dict[Stage | None, int] = {}
    for code, message in errors:
        stage = stage_of(code or None, message)
        counts[stage] = counts.get(stage, 0) + 1
    parts = []
    for stage in sorted(counts, key=lambda s: -1 if s is None else int(s)):
        count = counts[stage]
        noun = ERROR_NOUN[stage] if stage is not None else "error"
        if count != 1:
            noun = noun.replace(" error", " errors", 1) if " error" in noun else noun + "s"
        parts.append(f"{count} {noun}")
    return ", ".join(parts)


#: Errors without a known stage come after every stage when ordering root causes.
UNKNOWN_ORDER = len(Stage)


def root_cause_order(code: str | None, message: str) -> int:
    """Sort key for fix rounds: an earlier stage's error may be what causes later ones."""
    stage = stage_of(code, message)
    return UNKNOWN_ORDER if stage is None else int(stage)


CrateRank = tuple[int, int]


def crate_rank(errors: Iterable[tuple[str | None, str]]) -> CrateRank:
    """How far a crate gets through rustc, as a key where smaller is better.

    First the earliest stage that still has an error (later is better: the
    crate passes more of the compiler), then the number of errors. Errors
    without a known stage count but place nothing: they are the same before
    and after an edit (verification never lets one in).
    """
    listed = list(errors)
    stages = [stage_of(code or None, message) for code, message in listed]
    earliest = min((s for s in stages if s is not None), default=UNKNOWN_ORDER)
    if not listed:
        earliest = UNKNOWN_ORDER + 1
    return (-int(earliest), len(listed))
