"""rustc's own suggestions as fix candidates (byte-exact, from the JSON)."""

from __future__ import annotations

from pathlib import Path

from rustcoder.cargo.messages import Span
from rustcoder.cargo.to_lsp import OK_APPLICABILITY, group_alternatives
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import Edit, byte_to_char_offset


def _title(message: str, spans: list[Span]) -> str:
    shown = [(s.suggested_replacement or "").strip() for s in spans]
    shown = [r for r in shown if r]
    if len(spans) == 1 and len(shown) == 1 and "\n" not in shown[0] and len(shown[0]) <= 60:
        return f"{message}: `{shown[0]}`"
    return message


class RustcSource:
    name = "rustc"

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        result: list[Candidate] = []
        for child in ctx.diagnostic.children:
            suggestion_spans = [s for s in child.spans if s.suggested_replacement is not None]
            for group in group_alternatives(suggestion_spans):
                if not all(s.suggestion_applicability in OK_APPLICABILITY for s in group):
                    continue
                edits = self._edits(ctx, group)
                if edits is None:
                    continue
                machine = all(s.suggestion_applicability == "MachineApplicable" for s in group)
                result.append(
                    Candidate(
                        title=_title(child.message, group),
                        source=self.name,
                        edits=edits,
                        applicability="MachineApplicable" if machine else "MaybeIncorrect",
                        score=1.0 if machine else 0.5,
                    )
                )
        return result

    @staticmethod
    def _edits(ctx: FixContext, spans: list[Span]) -> tuple[Edit, ...] | None:
        edits: list[Edit] = []
        for span in spans:
            path = Path(span.file_name)
            if not path.is_absolute():
                path = ctx.workspace_root / path
            text = ctx.read_text(path)
            if text is None:
                return None
            edits.append(
                Edit(
                    path=path,
                    start=byte_to_char_offset(text, span.byte_start),
                    end=byte_to_char_offset(text, span.byte_end),
                    new_text=span.suggested_replacement or "",
                )
            )
        return tuple(edits)
