"""Edit kinds and what they see.

A recipe (data, `rustcoder/kb/recipes/*.toml`) names an edit kind; the edit
kind is a function from a `RecipeInput` (the diagnostic, its file parsed, the
primary span, the captures of the recipe's message pattern, the recipe's
parameters) to candidate fixes. Recipes never need to be right: every
candidate is compiled before it is offered, so a recipe proposes the
plausible edits and verification picks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import tree_sitter

from rustcoder.cargo.messages import RustDiagnostic, Span
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import Edit, byte_to_char_offset
from rustcoder.fix.rust_syntax import SourceFile, rust_files
from rustcoder.kb.recipe_data import RecipeSpec

T = TypeVar("T")


@dataclass
class RecipeInput:
    ctx: FixContext
    diagnostic: RustDiagnostic
    file: SourceFile
    #: Character offsets of the primary span in `file.text`.
    start: int
    end: int
    captures: dict[str, str] = field(default_factory=dict)
    #: The recipe being applied and its parameters (captures filled in).
    spec: RecipeSpec | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def span_text(self) -> str:
        return self.file.text[self.start : self.end]

    def messages(self) -> Iterator[str]:
        """The message, its primary label and every child's message."""
        yield self.diagnostic.message
        for span in self.diagnostic.spans:
            if span.label:
                yield span.label
        for child in self.diagnostic.children:
            yield child.message
            for span in child.spans:
                if span.label:
                    yield span.label

    def labelled(self, *label_parts: str) -> list[Span]:
        """The diagnostic's own spans whose label contains any of `label_parts`."""
        return [
            s for s in self.diagnostic.spans if s.label and any(p in s.label for p in label_parts)
        ]

    def offsets_here(self, span: Span) -> tuple[int, int] | None:
        """Char offsets of `span` in this diagnostic's file (None for other files)."""
        located = self.span_offsets(span)
        if located is None or located[0] != self.path:
            return None
        return located[1], located[2]

    def child_spans(self, message_part: str) -> list[Span]:
        return [
            span
            for child in self.diagnostic.children
            if message_part in child.message
            for span in child.spans
        ]

    def source(self, path: Path) -> SourceFile | None:
        if path == self.file.path:
            return self.file
        text = self.ctx.read_text(path)
        return SourceFile(path, text) if text is not None else None

    def span_offsets(self, span: Span) -> tuple[Path, int, int] | None:
        path = Path(span.file_name)
        if not path.is_absolute():
            path = self.ctx.workspace_root / path
        text = self.ctx.read_text(path)
        if text is None:
            return None
        return (
            path,
            byte_to_char_offset(text, span.byte_start),
            byte_to_char_offset(text, span.byte_end),
        )

    def find_type(self, name: str) -> tuple[SourceFile, object] | None:
        """The definition of a type named `name`: this file first, then the workspace."""
        node = self.file.type_definition(name)
        if node is not None:
            return self.file, node
        for path in rust_files(self.ctx.workspace_root):
            if path == self.file.path:
                continue
            source = self.source(path)
            if source is None:
                continue
            node = source.type_definition(name)
            if node is not None:
                return source, node
        return None

    def enclosing(self, *types: str) -> tree_sitter.Node | None:
        """The nearest node of one of `types` around the primary span."""
        return self.file.enclosing(self.file.node_at(self.start, self.end), *types)

    def edit(self, start: int, end: int, new_text: str, path: Path | None = None) -> Edit:
        return Edit(path=path or self.path, start=start, end=end, new_text=new_text)

    def candidate(
        self, title: str | None, edits: list[Edit] | tuple[Edit, ...], score: float = 0.6
    ) -> Candidate:
        """A candidate of this recipe; without a title, the recipe's own (filled in)."""
        if title is None:
            title = self.spec.title_for({**self.captures, **self.params}) if self.spec else ""
        return Candidate(
            title=title,
            source="kb",
            edits=tuple(edits),
            applicability="MaybeIncorrect",
            score=score,
            recipe_id=self.spec.id if self.spec else None,
        )

    def rewrite(
        self, title: str | None, start: int, end: int, new_text: str, score: float = 0.6
    ) -> Candidate:
        """A candidate of one edit in this file: `new_text` in place of [start, end)."""
        return self.candidate(title, [self.edit(start, end, new_text)], score)

    def insert(self, title: str | None, at: int, text: str, score: float = 0.6) -> Candidate:
        """A candidate that inserts `text` at offset `at` of this file."""
        return self.rewrite(title, at, at, text, score)

    def replace(
        self, title: str | None, node: tree_sitter.Node, new_text: str, score: float = 0.6
    ) -> Candidate:
        """A candidate that writes `new_text` in place of `node` of this file."""
        return self.rewrite(title, self.file.start(node), self.file.end(node), new_text, score)


#: The score of a candidate sure enough to be verified before rustc's own
#: MachineApplicable suggestion: above `engine.CONFIDENT_SCORE`, the threshold
#: `engine.rank_key` tiers on. Used where rustc's suggestion is known to trade
#: the error for another one (`.clone()` of a buffer that is then reset).
CONFIDENT = 0.92

EditKindFn = Callable[[RecipeInput], list[Candidate]]

#: Edit kinds by name; recipes (data) refer to them by `kind`.
EDIT_KINDS: dict[str, EditKindFn] = {}


class NotApplicable(Exception):
    """The code at the diagnostic is not the shape an edit kind rewrites."""


def need(value: T | None) -> T:
    """`value`, or stop the edit kind (it then proposes nothing) when it is None.

    Edit kinds look up one node after another and give up at the first that is
    missing; this is that early return in one line, like `?` in rust-analyzer's
    assists. Only for the body of an edit kind: `edit_kind` catches it there.
    """
    if value is None:
        raise NotApplicable
    return value


def edit_kind(
    name: str, prepare: Callable[[RecipeInput], RecipeInput] | None = None
) -> Callable[[EditKindFn], EditKindFn]:
    """Register the function that performs the edit kind `name`.

    `prepare` turns the input into what the function reads (the types family
    sees macro arguments as expressions). The registered function, which is
    also what the module's name is bound to, answers `[]` where `need` stops.
    """

    def register(fn: EditKindFn) -> EditKindFn:
        @functools.wraps(fn)
        def run(inp: RecipeInput) -> list[Candidate]:
            try:
                return fn(prepare(inp) if prepare is not None else inp)
            except NotApplicable:
                return []

        known = EDIT_KINDS.get(name)
        if known is not None and getattr(known, "__wrapped__", None) is not fn:
            raise ValueError(f"edit kind {name!r} registered twice")
        EDIT_KINDS[name] = run
        return run

    return register


@functools.cache
def _loaded() -> bool:
    from rustcoder.fix.recipes import load_all

    load_all()
    return True


def edit_kinds() -> dict[str, EditKindFn]:
    """Every edit kind, with all recipe modules loaded."""
    _loaded()
    return EDIT_KINDS


def closest(word: str, options: list[str], limit: int = 3) -> list[str]:
    """Options ordered by edit distance to `word` (close ones only)."""
    import difflib

    return difflib.get_close_matches(word, options, n=limit, cutoff=0.5)
