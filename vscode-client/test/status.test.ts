import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { applyProgress, describeModel, initialStatus, render, withServer } from "../src/status";

describe("status bar", () => {
  it("spins while a check runs and shows its summary after", () => {
    let status = withServer(initialStatus("none"), "running");
    assert.equal(render(status).text, "$(check) rustcoder");
    status = applyProgress(status, "t1", { kind: "begin", title: "cargo check", message: "fix_borrow" });
    assert.equal(render(status).text, "$(sync~spin) rustcoder: cargo check");
    assert.match(render(status).tooltip, /cargo check — fix_borrow/);
    status = applyProgress(status, "t1", { kind: "report", message: "halfway" });
    assert.match(render(status).tooltip, /halfway/);
    status = applyProgress(status, "t1", { kind: "end", message: "1 error, 0 warnings" });
    assert.equal(render(status).text, "$(error) rustcoder");
    assert.match(render(status).tooltip, /Last: cargo check: 1 error, 0 warnings/);
    status = applyProgress(applyProgress(status, 2, { kind: "begin", title: "cargo check" }), 2, { kind: "end", message: "0 errors, 3 warnings" });
    assert.equal(render(status).text, "$(check) rustcoder");
  });

  it("counts concurrent work and never mutates the old state", () => {
    const start = withServer(initialStatus("none"), "running");
    const one = applyProgress(start, "a", { kind: "begin", title: "cargo check" });
    const two = applyProgress(one, "b", { kind: "begin", title: "generate" });
    assert.equal(render(two).text, "$(sync~spin) rustcoder: cargo check (+1)");
    assert.equal(start.running.size, 0);
    assert.equal(one.running.size, 1);
  });

  it("shows the server state and the model", () => {
    assert.match(render(initialStatus("none")).text, /loading/);
    const missing = render(withServer(initialStatus("none"), "missing"));
    assert.match(missing.text, /no server/);
    assert.match(missing.tooltip, /Model: none/);
    assert.match(render(withServer(initialStatus("x"), "failed")).text, /error/);
    const running = applyProgress(withServer(initialStatus("x"), "running"), "a", { kind: "begin", title: "cargo check" });
    assert.equal(withServer(running, "stopped").running.size, 0, "a stopped server has no work in flight");
  });

  it("describes the model from name and endpoint", () => {
    assert.equal(describeModel("", ""), "none");
    assert.equal(describeModel("smollm2", ""), "smollm2");
    assert.equal(describeModel("qwen", "http://127.0.0.1:11434/v1"), "qwen @ 127.0.0.1:11434");
    assert.equal(describeModel("", "not a url"), "default @ not a url");
  });
});
