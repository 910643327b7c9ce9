import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { DiagnosticLike, codeOf, diagnosticAt, isErrorCode, linkOf } from "../src/diagnostics";

const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

describe("diagnosticAt", () => {
  const error: DiagnosticLike = { range: range(5, 10, 5, 14), code: { value: "E0308", target: "https://doc.rust-lang.org/error_codes/E0308.html" }, source: "rustcoder", severity: 0 };
  const hint: DiagnosticLike = { range: range(5, 10, 5, 14), code: "E0308", source: "rustcoder", severity: 3 };
  const other: DiagnosticLike = { range: range(5, 0, 5, 20), code: "type-mismatch", source: "rust-analyzer", severity: 0 };
  const noCode: DiagnosticLike = { range: range(5, 10, 5, 14), source: "rustcoder", severity: 0 };

  it("picks our most severe coded diagnostic under the cursor", () => {
    assert.equal(diagnosticAt([hint, other, noCode, error], { line: 5, character: 12 }), error);
    assert.equal(diagnosticAt([other], { line: 5, character: 2 }), other);
    assert.equal(diagnosticAt([error, hint], { line: 6, character: 0 }), undefined);
  });

  it("reads codes and links in every shape", () => {
    assert.equal(codeOf(error.code), "E0308");
    assert.equal(codeOf(42), "42");
    assert.equal(codeOf(undefined), undefined);
    assert.equal(linkOf(error.code), "https://doc.rust-lang.org/error_codes/E0308.html");
    assert.equal(linkOf("E0308"), undefined);
    assert.ok(isErrorCode("E0382") && isErrorCode(" e0382 "));
    assert.ok(!isErrorCode("unused_mut") && !isErrorCode("E038"));
  });
});
