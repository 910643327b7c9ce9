import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Recorder, makeVscode, textDocument } from "./vscode-stub";

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

function loadExtension(openDocuments: unknown[] = []): Extension {
  const vscode = makeVscode(recorder, packageJson, path.join(tmp, "ws"), openDocuments);
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

describe("activate with the real rustcoder server", { skip: !fs.existsSync(repoServer) && "no .venv/bin/rustcoder" }, () => {
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rustcoder-activate-"));
    recorder = { commands: new Map(), messages: [], statusItems: [], outputShown: 0, output: [], config: {} };
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    moduleApi._load = originalLoad;
    process.env.PATH = savedPath;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("finds the workspace .venv server, sends it the settings, and the status bar follows its check", async () => {
    const ws = path.join(tmp, "ws");
    fs.mkdirSync(path.join(ws, ".venv", "bin"), { recursive: true });
    fs.symlinkSync(repoServer, path.join(ws, ".venv", "bin", "rustcoder"));
    fs.cpSync(fixture, path.join(ws, "fix_borrow"), { recursive: true });
    const lib = path.join(ws, "fix_borrow", "src", "lib.rs");
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
});
