import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DiscoveryInput, candidates, expandPath, findServer, managedInstallPlan, realProbe } from "../src/discovery";

function input(overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return {
    configuredPath: "",
    workspaceFolders: ["/work/proj"],
    pythonInterpreter: undefined,
    envPath: "/usr/local/bin:/usr/bin",
    platform: "linux",
    managedVenv: "/storage/venv",
    home: "/home/me",
    ...overrides,
  };
}

const only = (...files: string[]) => (file: string) => files.includes(file);

describe("findServer", () => {
  it("uses the configured path, with ~ and ${workspaceFolder} expanded", () => {
    const result = findServer(input({ configuredPath: "${workspaceFolder}/env/bin/rustcoder" }), only("/work/proj/env/bin/rustcoder"));
    assert.deepEqual(result, { kind: "found", command: "/work/proj/env/bin/rustcoder", args: ["serve"], source: "setting" });
    const home = findServer(input({ configuredPath: "~/bin/rustcoder" }), only("/home/me/bin/rustcoder"));
    assert.equal(home.kind === "found" && home.command, "/home/me/bin/rustcoder");
  });

  it("reports a configured path that does not exist instead of using another server", () => {
    const result = findServer(input({ configuredPath: "/nope/rustcoder" }), only("/usr/bin/rustcoder"));
    assert.equal(result.kind, "invalid");
    assert.match(result.kind === "invalid" ? result.message : "", /\/nope\/rustcoder/);
  });

  it("prefers the workspace's .venv over PATH", () => {
    const result = findServer(input(), only("/usr/bin/rustcoder", "/work/proj/.venv/bin/rustcoder"));
    assert.deepEqual(result, { kind: "found", command: "/work/proj/.venv/bin/rustcoder", args: ["serve"], source: "workspace venv" });
  });

  it("looks next to python.defaultInterpreterPath, relative paths from the workspace", () => {
    const absolute = findServer(input({ pythonInterpreter: "/opt/py/bin/python3" }), only("/opt/py/bin/rustcoder", "/usr/bin/rustcoder"));
    assert.equal(absolute.kind === "found" && absolute.source, "python interpreter");
    assert.equal(absolute.kind === "found" && absolute.command, "/opt/py/bin/rustcoder");
    const relative = findServer(input({ pythonInterpreter: "env/bin/python" }), only("/work/proj/env/bin/rustcoder"));
    assert.equal(relative.kind === "found" && relative.command, "/work/proj/env/bin/rustcoder");
  });

  it("ignores a bare interpreter name and falls back to PATH, then the managed venv", () => {
    assert.equal(candidates(input({ pythonInterpreter: "python" })).some((c) => c.source === "python interpreter"), false);
    const onPath = findServer(input({ pythonInterpreter: "python" }), only("/usr/bin/rustcoder", "/storage/venv/bin/rustcoder"));
    assert.equal(onPath.kind === "found" && onPath.source, "PATH");
    const managed = findServer(input(), only("/storage/venv/bin/rustcoder"));
    assert.equal(managed.kind === "found" && managed.source, "managed venv");
  });

  it("lists every place it looked when nothing is found", () => {
    const result = findServer(input({ workspaceFolders: ["/a", "/b"], envPath: "/usr/bin::/usr/bin" }), () => false);
    assert.deepEqual(result, {
      kind: "missing",
      tried: [
        "/a/.venv/bin/rustcoder",
        "/a/venv/bin/rustcoder",
        "/b/.venv/bin/rustcoder",
        "/b/venv/bin/rustcoder",
        "/usr/bin/rustcoder",
        "/storage/venv/bin/rustcoder",
      ],
    });
  });

  it("uses Scripts and .exe on Windows", () => {
    const result = findServer(
      input({ platform: "win32", workspaceFolders: ["C:\\proj"], envPath: "C:\\Windows", managedVenv: "C:\\st\\venv" }),
      only("C:\\proj\\.venv\\Scripts\\rustcoder.exe"),
    );
    assert.equal(result.kind === "found" && result.command, "C:\\proj\\.venv\\Scripts\\rustcoder.exe");
  });

  it("finds a real executable on disk and skips a file that is not executable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rustcoder-discovery-"));
    try {
      const bin = path.join(dir, "proj", ".venv", "bin");
      fs.mkdirSync(bin, { recursive: true });
      const exe = path.join(bin, "rustcoder");
      fs.writeFileSync(exe, "#!/bin/sh\n", { mode: 0o644 });
      const notExecutable = findServer(input({ workspaceFolders: [path.join(dir, "proj")], envPath: "", managedVenv: path.join(dir, "m") }), realProbe);
      assert.equal(notExecutable.kind, process.platform === "win32" ? "found" : "missing");
      fs.chmodSync(exe, 0o755);
      const found = findServer(input({ workspaceFolders: [path.join(dir, "proj")], envPath: "", managedVenv: path.join(dir, "m") }), realProbe);
      assert.equal(found.kind === "found" && found.command, exe);
      assert.equal(realProbe(bin), false, "a directory is not a server");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("expandPath", () => {
  it("leaves plain paths alone and normalises", () => {
    assert.equal(expandPath(" /a/./b/rustcoder ", "/w", "/h", "linux"), "/a/b/rustcoder");
    assert.equal(expandPath("~", undefined, "/h", "linux"), "/h");
  });
});

describe("managedInstallPlan", () => {
  it("creates a venv and pip-installs the configured source into it", () => {
    const plan = managedInstallPlan("/storage/venv", "python3.11", "/src/rustcoder", "linux");
    assert.deepEqual(plan.steps.map((s) => [s.command, ...s.args]), [
      ["python3.11", "-m", "venv", "/storage/venv"],
      ["/storage/venv/bin/python", "-m", "pip", "install", "--disable-pip-version-check", "--upgrade", "/src/rustcoder"],
    ]);
    assert.equal(plan.server, "/storage/venv/bin/rustcoder");
  });

  it("defaults to python3 and the rustcoder package", () => {
    const plan = managedInstallPlan("C:\\st\\venv", " ", "", "win32");
    assert.equal(plan.steps[0].command, "python3");
    assert.equal(plan.steps[1].command, "C:\\st\\venv\\Scripts\\python.exe");
    assert.equal(plan.steps[1].args.at(-1), "rustcoder");
    assert.equal(plan.server, "C:\\st\\venv\\Scripts\\rustcoder.exe");
  });
});
