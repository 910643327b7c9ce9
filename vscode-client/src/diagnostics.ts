/**
 * Picking the diagnostic under the cursor, for Explain Error.
 *
 * Pure (structural types instead of `vscode`'s classes) so it is unit-tested.
 */

export interface Pos {
  line: number;
  character: number;
}
export interface Span {
  start: Pos;
  end: Pos;
}
export type Code = string | number | { value: string | number; target?: unknown } | undefined;

export interface DiagnosticLike {
  range: Span;
  code?: Code;
  source?: string;
  severity?: number;
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

export function contains(range: Span, pos: Pos): boolean {
  return before(range.start, pos) && before(pos, range.end);
}

/** The code as text ("E0308", "unused_mut"), whatever shape VS Code gives it. */
export function codeOf(code: Code): string | undefined {
  if (code === undefined) {
    return undefined;
  }
  if (typeof code === "object") {
    return String(code.value);
  }
  return String(code);
}

/** rustc's own error codes (E0308); lints (unused_mut) have none to explain. */
export function isErrorCode(code: string): boolean {
  return /^E\d{4}$/.test(code.trim().toUpperCase());
}

/** The URL of the error index entry, when the code carries one. */
export function linkOf(code: Code): string | undefined {
  if (code && typeof code === "object" && code.target !== undefined) {
    return String(code.target);
  }
  return undefined;
}

/**
 * The diagnostic to explain: one with a code under the cursor, rustc/rustcoder
 * ones first, then the most severe (VS Code: Error = 0), then the narrowest.
 */
export function diagnosticAt<D extends DiagnosticLike>(diagnostics: readonly D[], pos: Pos): D | undefined {
  const ours = (d: D): number => (d.source === "rustcoder" || d.source === "rustc" ? 0 : 1);
  const width = (d: D): number => (d.range.end.line - d.range.start.line) * 100000 + d.range.end.character - d.range.start.character;
  return diagnostics
    .filter((d) => codeOf(d.code) !== undefined && contains(d.range, pos))
    .sort((a, b) => ours(a) - ours(b) || (a.severity ?? 9) - (b.severity ?? 9) || width(a) - width(b))[0];
}
