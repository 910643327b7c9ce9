import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { spawnSync } from "node:child_process";
import * as http from "node:http";
import { Diagnostic, Range, Recorder, Registrations, TextEdit, makeVscode, noToken, textDocument } from "./vscode-stub";

// The bundle that goes into the .vsix (built by `npm run build` before the tests).
const root = path.join(__dirname, "..", "..");
const bundle = path.join(root, "out", "extension.js");
const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

interface Extension {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

let recorder: Recorder;
let tmp: string;
let savedPath: string | undefined;
const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleApi._load;

let registrations: Registrations;

function loadExtension(openDocuments: unknown[] = []): Extension {
  const vscode = makeVscode(recorder, packageJson, path.join(tmp, "ws"), openDocuments, registrations);
  moduleApi._load = function (request: string, ...rest: unknown[]) {
    return request === "vscode" ? vscode : originalLoad.call(this, request, ...rest);
  };
  delete require.cache[bundle];
  return Module.createRequire(__filename)(bundle) as Extension;
}

async function activate(openDocuments: unknown[] = []): Promise<Extension> {
  const extension = loadExtension(openDocuments);
  await extension.activate({
    subscriptions: [],
    extension: { packageJSON: packageJson },
    globalStorageUri: { fsPath: path.join(tmp, "storage"), scheme: "file" },
  });
  return extension;
}

describe("activate (bundled extension, stand-in vscode module)", () => {
  beforeEach(() => {
    registrations = { codeActionProviders: [], diagnostics: new Map(), appliedEdits: [] };
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rustcoder-activate-"));
    fs.mkdirSync(path.join(tmp, "ws"));
    recorder = { commands: new Map(), messages: [], statusItems: [], outputShown: 0, output: [], config: {} };
    savedPath = process.env.PATH;
    process.env.PATH = path.join(tmp, "empty-bin"); // no rustcoder anywhere
  });
  afterEach(() => {
    moduleApi._load = originalLoad;
    process.env.PATH = savedPath;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("registers exactly the commands package.json contributes", async () => {
    await activate();
    const contributed = packageJson.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual([...recorder.commands.keys()].sort(), contributed);
    for (const menu of packageJson.contributes.menus.commandPalette) {
      assert.ok(recorder.commands.has(menu.command), menu.command);
    }
  });

  it("offers a managed install when no server is found and says so in the status bar", async () => {
    await activate();
    const offer = recorder.messages.find((m) => m.level === "warning");
    assert.ok(offer, "a warning offering the install");
    assert.match(offer.text, /no rustcoder server found/);
    assert.deepEqual(offer.items, ["Install in a managed environment", "Set rustcoder.server.path"]);
    const [item] = recorder.statusItems;
    assert.ok(item.visible);
    assert.match(item.text, /no server/);
    assert.match(item.tooltip, /Model: none/);
  });

  it("reports a configured server path that does not exist, without offering an install", async () => {
    recorder.config["rustcoder.server.path"] = path.join(tmp, "nope", "rustcoder");
    recorder.config["rustcoder.model.name"] = "smollm2";
    await activate();
    const errors = recorder.messages.filter((m) => m.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0].text, /nope.rustcoder.*not an executable file/);
    assert.equal(recorder.messages.some((m) => m.level === "warning"), false);
    assert.match(recorder.statusItems[0].tooltip, /Model: smollm2/);
  });

  it("commands answer sensibly without a server or an editor", async () => {
    const extension = await activate();
    await recorder.commands.get("rustcoder.showOutput")?.();
    assert.equal(recorder.outputShown, 1);
    await recorder.commands.get("rustcoder.fixAllVerified")?.();
    assert.ok(recorder.messages.some((m) => m.level === "info" && /open a Rust file/.test(m.text)));
    await extension.deactivate();
    assert.match(recorder.statusItems[0].text, /circle-slash/);
  });
});

// The server from the repository's .venv (scripts/bootstrap.sh); absent in a bare npm checkout.
const repoServer = path.join(root, "..", ".venv", "bin", "rustcoder");
const fixture = path.join(root, "..", "tests", "data", "crates", "fix_borrow");

/** Applies text edits (UTF-16 positions, as JS strings index) from last to first. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (line: number, character: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
  const ordered = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
  for (const edit of ordered) {
    const start = offset(edit.range.start.line, edit.range.start.character);
    text = text.slice(0, start) + edit.newText + text.slice(offset(edit.range.end.line, edit.range.end.character));
  }
  return text;
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${recorder.output.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("activate with the real rustcoder server", { skip: !fs.existsSync(repoServer) && "no .venv/bin/rustcoder" }, () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rustcoder-activate-"));
    recorder = { commands: new Map(), messages: [], statusItems: [], outputShown: 0, output: [], config: {} };
    registrations = { codeActionProviders: [], diagnostics: new Map(), appliedEdits: [] };
    // The server inherits this environment: keep its learned knowledge base in the temp dir.
    for (const [key, value] of Object.entries({ RUSTCODER_USER_KB: path.join(tmp, "learned.sqlite"), XDG_DATA_HOME: path.join(tmp, "data") })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  afterEach(() => {
    moduleApi._load = originalLoad;
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function workspaceWithServer(): { ws: string; lib: string } {
    const ws = path.join(tmp, "ws");
    fs.mkdirSync(path.join(ws, ".venv", "bin"), { recursive: true });
    fs.symlinkSync(repoServer, path.join(ws, ".venv", "bin", "rustcoder"));
    fs.cpSync(fixture, path.join(ws, "fix_borrow"), { recursive: true });
    return { ws, lib: path.join(ws, "fix_borrow", "src", "lib.rs") };
  }

  it("finds the workspace .venv server, sends it the settings, and the status bar follows its check", async () => {
    const { ws, lib } = workspaceWithServer();
    // A setting that shows on disk: the server's cargo check writes to this target dir.
    recorder.config["rustcoder.check.targetDir"] = "target/from-vscode";
    const extension = await activate([textDocument(lib, fs.readFileSync(lib, "utf8"))]).catch((error) => {
      throw new Error(`${error}\n${recorder.output.join("")}`);
    });
    try {
      const item = recorder.statusItems[0];
      const deadline = Date.now() + 120_000;
      const seen = new Set<string>();
      while (!/1 error/.test(item.tooltip) && Date.now() < deadline) {
        seen.add(item.text);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(item.tooltip, /Last: cargo check: 1 error, 0 warnings/, [...seen].join(" | "));
      assert.equal(item.text, "$(error) rustcoder");
      assert.ok(fs.existsSync(path.join(ws, "fix_borrow", "target", "from-vscode")), "initializationOptions applied");
      assert.deepEqual(recorder.messages.filter((m) => m.level !== "info"), []);
      // vscode-languageclient registers the server's commands; ours never collide with them.
      assert.ok(recorder.commands.has("rustcoder.fixAllInFile"));
    } finally {
      await extension.deactivate();
    }
    assert.match(recorder.statusItems[0].text, /circle-slash/);
  });
  it("fixes a rust-analyzer diagnostic from the code action context, edit from codeAction/resolve", async () => {
    const { lib } = workspaceWithServer();
    const document = textDocument(lib, fs.readFileSync(lib, "utf8")) as { uri: { toString(): string } };
    const extension = await activate([document]);
    try {
      await waitFor("rustcoder's diagnostics", () => (registrations.diagnostics.get(document.uri.toString()) ?? []).some((d) => d.code !== undefined));
      const ours = (registrations.diagnostics.get(document.uri.toString()) ?? []).find((d) => d.severity === 0);
      assert.ok(ours, "an error diagnostic from rustcoder");
      // VS Code passes every diagnostic at the cursor, rust-analyzer's included, in the context.
      const theirs = new Diagnostic(ours.range, "mismatched types\nexpected &str, found String", 0);
      theirs.code = "E0308";
      theirs.source = "rust-analyzer";
      const [provider] = registrations.codeActionProviders;
      let actions: Awaited<ReturnType<typeof provider.provideCodeActions>> = [];
      // Asked until the server has ranked its candidates for the finished check.
      const deadline = Date.now() + 60_000;
      while (actions.length === 0 && Date.now() < deadline) {
        actions = (await provider.provideCodeActions(document, new Range(0, 0, 0, 0), { diagnostics: [theirs], triggerKind: 1, only: undefined }, noToken)) ?? [];
        if (actions.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const preferred = actions.find((a) => a.isPreferred);
      assert.ok(preferred, actions.map((a) => a.title).join(" | "));
      assert.equal(preferred.kind?.value, "quickfix");
      assert.deepEqual(preferred.diagnostics?.map((d) => d.source), ["rust-analyzer"]);
      assert.equal(preferred.edit, undefined, "VS Code resolves edits lazily");
      assert.ok(provider.resolveCodeAction, "the client resolves code actions");
      const resolved = await provider.resolveCodeAction(preferred, noToken);
      const entries = resolved.edit?.entries() ?? [];
      assert.equal(entries.length, 1);
      assert.equal(entries[0][0].toString(), document.uri.toString());
      fs.writeFileSync(lib, applyEdits(fs.readFileSync(lib, "utf8"), entries[0][1]));
      const check = spawnSync("cargo", ["check", "--offline", "--quiet"], { cwd: path.dirname(path.dirname(lib)), encoding: "utf8" });
      assert.equal(check.status, 0, check.stderr);
    } finally {
      await extension.deactivate();
    }
  });
  it("Fix All Verified Errors runs rustcoder.fixAllInFile and applies the server's edit", async () => {
    const { lib } = workspaceWithServer();
    const document = textDocument(lib, fs.readFileSync(lib, "utf8")) as { uri: { toString(): string } };
    registrations.activeEditor = { document: { ...document, isDirty: false, save: () => Promise.resolve(true) } };
    const extension = await activate([document]);
    try {
      await waitFor("the first check", () => /1 error/.test(recorder.statusItems[0].tooltip));
      await recorder.commands.get("rustcoder.fixAllVerified")?.();
      assert.equal(registrations.appliedEdits.length, 1, recorder.messages.map((m) => m.text).join(" | "));
      const entries = registrations.appliedEdits[0].entries();
      assert.deepEqual(entries.map(([uri]) => uri.toString()), [document.uri.toString()]);
      fs.writeFileSync(lib, applyEdits(fs.readFileSync(lib, "utf8"), entries[0][1]));
      assert.match(fs.readFileSync(lib, "utf8"), /shout\(&name\)/);
      const check = spawnSync("cargo", ["check", "--offline", "--quiet"], { cwd: path.dirname(path.dirname(lib)), encoding: "utf8" });
      assert.equal(check.status, 0, check.stderr);
    } finally {
      await extension.deactivate();
    }
  });
  it("Generate Crate from Description sends the description and folder; the server creates the crate", async () => {
    const crate = [
      "[filename: Cargo.toml]",
      '[package]\nname = "counter"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
      "[filename: src/main.rs]",
      'fn main() {\n    let words = std::env::args().skip(1).count();\n    println!("{words}");\n}\n',
    ].join("\n");
    // An OpenAI-compatible model on 127.0.0.1 that always answers with this crate.
    const model = http.createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.setHeader("Content-Type", "application/json");
        response.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: crate }, finish_reason: "stop" }] }));
      });
    });
    await new Promise<void>((resolve) => model.listen(0, "127.0.0.1", resolve));
    const port = (model.address() as { port: number }).port;
    const { ws, lib } = workspaceWithServer();
    const target = path.join(ws, "counter");
    recorder.config["rustcoder.model.endpoint"] = `http://127.0.0.1:${port}/v1`;
    recorder.config["rustcoder.model.name"] = "scripted";
    registrations.inputs = ["a CLI that counts its arguments"];
    registrations.folder = target;
    const extension = await activate([textDocument(lib, fs.readFileSync(lib, "utf8"))]);
    try {
      await recorder.commands.get("rustcoder.generateCrateFromDescription")?.();
      const [edit] = registrations.appliedEdits;
      assert.ok(edit, recorder.messages.map((m) => m.text).join(" | ") + recorder.output.join(""));
      assert.deepEqual(edit.created.map((uri) => path.relative(target, uri.fsPath)).sort(), ["Cargo.toml", path.join("src", "main.rs")]);
      for (const [uri, edits] of edit.entries()) {
        // What VS Code does with the created files.
        fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
        fs.writeFileSync(uri.fsPath, applyEdits("", edits));
      }
      const check = spawnSync("cargo", ["check", "--offline", "--quiet"], { cwd: target, encoding: "utf8" });
      assert.equal(check.status, 0, check.stderr);
    } finally {
      await extension.deactivate();
      model.close();
    }
  });
});
