import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { generatedFiles } from "../src/generate";

describe("generated crate files", () => {
  it("lists the created files inside the chosen folder", () => {
    const answer = { success: true, folder: "/work/greeter", files: ["Cargo.toml", "src/main.rs"] };
    assert.deepEqual(generatedFiles(answer), ["/work/greeter/Cargo.toml", "/work/greeter/src/main.rs"]);
  });

  it("saves nothing outside the folder", () => {
    const answer = { folder: "/work/greeter", files: ["../other/Cargo.toml", "/etc/passwd", "src/lib.rs"] };
    assert.deepEqual(generatedFiles(answer), ["/work/greeter/src/lib.rs"]);
    assert.deepEqual(generatedFiles({ folder: "/work/greeter", files: ["../greeter-x/a.rs"] }), []);
  });

  it("ignores failed or malformed answers", () => {
    assert.deepEqual(generatedFiles(undefined), []);
    assert.deepEqual(generatedFiles({ success: false, message: "cancelled" }), []);
    assert.deepEqual(generatedFiles({ folder: "relative", files: ["a.rs"] }), []);
    assert.deepEqual(generatedFiles({ folder: "/work/x", files: "a.rs" }), []);
    assert.deepEqual(generatedFiles({ folder: "/work/x", files: [1, "", "a.rs"] }), ["/work/x/a.rs"]);
  });
});
