import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isClientOnly, needsRestart, settingKeys, toServerSettings } from "../src/settings";

// Compiled to out-test/test/, so package.json is two levels up.
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
const properties: Record<string, { default?: unknown }> = packageJson.contributes.configuration.properties;
const keys = settingKeys(packageJson);
const defaults = (key: string): unknown => properties[`rustcoder.${key}`]?.default;

describe("settingKeys", () => {
  it("lists every rustcoder.* setting of package.json without the prefix", () => {
    assert.equal(keys.length, Object.keys(properties).length);
    for (const key of ["server.path", "check.command", "check.extraArgs", "fix.verify", "kb.path", "model.name", "model.endpoint", "model.apiKey"]) {
      assert.ok(keys.includes(key), key);
    }
  });

  it("gives nothing for a manifest without settings", () => {
    assert.deepEqual(settingKeys({}), []);
  });
});

describe("toServerSettings", () => {
  it("nests the defaults by section and leaves out client-only and empty settings", () => {
    const settings = toServerSettings(keys, defaults);
    assert.deepEqual(Object.keys(settings).sort(), ["check", "diagnostics", "fix", "model"]);
    assert.deepEqual(settings.check, {
      command: "check",
      cargoPath: "cargo",
      extraArgs: [],
      features: [],
      allFeatures: false,
      noDefaultFeatures: false,
      allTargets: true,
      targetDir: "target/rustcoder",
      onOpen: true,
      onSave: true,
      debounceMs: 150,
      timeoutSeconds: 300,
      extraEnv: {},
    });
    assert.deepEqual(settings.fix, {
      verify: true,
      backgroundVerify: true,
      maxActions: 5,
      timeoutSeconds: 120,
      runBudgetSeconds: 300,
      errorBudgetSeconds: 60,
      batchSize: 8,
    });
    // Empty strings (kb.path, model.name, ...) mean "the server's default": not sent.
    assert.deepEqual(settings.model, { enable: true, timeoutSeconds: 60, maxTokens: 1024, temperature: 0 });
    assert.equal("kb" in settings, false);
    assert.equal("server" in settings || "trace" in settings, false);
  });

  it("passes user values through, empty ones left out", () => {
    const user: Record<string, unknown> = {
      "check.command": "clippy",
      "check.extraEnv": { RUSTFLAGS: "-Dwarnings" },
      "fix.verify": false,
      "kb.path": "/data/kb.sqlite",
      "model.name": "qwen2.5-coder-0.5b",
      "model.endpoint": "",
      "server.path": "/x/rustcoder",
    };
    const settings = toServerSettings(keys, (key) => (key in user ? user[key] : defaults(key)));
    assert.equal(settings.check.command, "clippy");
    assert.deepEqual(settings.check.extraEnv, { RUSTFLAGS: "-Dwarnings" });
    assert.equal(settings.fix.verify, false);
    assert.deepEqual(settings.kb, { path: "/data/kb.sqlite" });
    assert.equal(settings.model.name, "qwen2.5-coder-0.5b");
    assert.equal("endpoint" in settings.model || "apiKey" in settings.model, false);
  });

  it("drops values that are not JSON and keys without a section", () => {
    const settings = toServerSettings(["check.debounceMs", "check.onSave", "loose", "fix."], (key) =>
      key === "check.debounceMs" ? Number.NaN : key === "check.onSave" ? () => true : 1,
    );
    assert.deepEqual(settings, {});
  });
});

describe("client-only settings", () => {
  it("are the server and trace sections, and server changes need a restart", () => {
    assert.ok(isClientOnly("server.path"));
    assert.ok(isClientOnly("trace.server"));
    assert.ok(!isClientOnly("check.command"));
    assert.ok(needsRestart((key) => key === "rustcoder.server"));
    assert.ok(!needsRestart((key) => key === "rustcoder.check"));
  });

  it("every setting has a description for the settings UI", () => {
    for (const [key, schema] of Object.entries(properties) as Array<[string, { description?: string; markdownDescription?: string }]>) {
      assert.ok(schema.description || schema.markdownDescription, key);
    }
  });
});
