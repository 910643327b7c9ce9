/**
 * Finding the `rustcoder` executable, and the plan for installing one.
 *
 * Pure (no `vscode` import): the extension passes in what VS Code knows (the
 * setting, workspace folders, the Python extension's interpreter) and a probe for
 * the file system, so node's test runner covers every branch.
 */
import * as path from "node:path";
import * as fs from "node:fs";

export type ServerSource = "setting" | "workspace venv" | "python interpreter" | "PATH" | "managed venv";

export interface DiscoveryInput {
  /** `rustcoder.server.path`, as written by the user (may hold ~ or ${workspaceFolder}). */
  configuredPath: string;
  /** Workspace folders' file-system paths, first one first. */
  workspaceFolders: readonly string[];
  /** `python.defaultInterpreterPath`, if set. */
  pythonInterpreter?: string;
  /** The PATH environment variable. */
  envPath: string;
  platform: NodeJS.Platform;
  /** The extension's managed virtual environment (in its global storage). */
  managedVenv: string;
  home: string;
}

export interface Found {
  kind: "found";
  command: string;
  args: string[];
  source: ServerSource;
}
export interface Invalid {
  kind: "invalid";
  message: string;
}
export interface Missing {
  kind: "missing";
  tried: string[];
}
export type Discovery = Found | Invalid | Missing;

/** Whether a path is an executable file; replaced by a fake in tests. */
export type Probe = (file: string) => boolean;

export const realProbe: Probe = (file) => {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === "win32" ? fs.constants.R_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** `bin` or `Scripts`: where a virtual environment keeps its executables. */
export function venvBin(venv: string, platform: NodeJS.Platform): string {
  return pathApi(platform).join(venv, platform === "win32" ? "Scripts" : "bin");
}

export function exeName(name: string, platform: NodeJS.Platform): string {
  return platform === "win32" ? `${name}.exe` : name;
}

/** Expands `~` and `${workspaceFolder}` the way users write them in settings. */
export function expandPath(value: string, workspaceFolder: string | undefined, home: string, platform: NodeJS.Platform): string {
  let result = value.trim();
  if (workspaceFolder !== undefined) {
    result = result.split("${workspaceFolder}").join(workspaceFolder);
  }
  if (result === "~" || result.startsWith("~/") || result.startsWith("~\\")) {
    result = home + result.slice(1);
  }
  return pathApi(platform).normalize(result);
}

/** Every place looked at, in order, without the configured path. */
export function candidates(input: DiscoveryInput): Array<{ file: string; source: ServerSource }> {
  const p = pathApi(input.platform);
  const exe = exeName("rustcoder", input.platform);
  const result: Array<{ file: string; source: ServerSource }> = [];
  for (const folder of input.workspaceFolders) {
    for (const venv of [".venv", "venv"]) {
      result.push({ file: p.join(venvBin(p.join(folder, venv), input.platform), exe), source: "workspace venv" });
    }
  }
  const interpreter = input.pythonInterpreter?.trim();
  // A bare name ("python") says nothing about where rustcoder is; PATH covers it.
  if (interpreter && /[\\/]/.test(interpreter)) {
    const expanded = expandPath(interpreter, input.workspaceFolders[0], input.home, input.platform);
    const absolute = p.isAbsolute(expanded) || input.workspaceFolders.length === 0 ? expanded : p.join(input.workspaceFolders[0], expanded);
    result.push({ file: p.join(p.dirname(absolute), exe), source: "python interpreter" });
  }
  const separator = input.platform === "win32" ? ";" : ":";
  for (const dir of input.envPath.split(separator)) {
    if (dir) {
      result.push({ file: p.join(dir, exe), source: "PATH" });
    }
  }
  result.push({ file: p.join(venvBin(input.managedVenv, input.platform), exe), source: "managed venv" });
  return result;
}

/**
 * The server to start. A configured path that does not exist is an error, never
 * silently replaced by another rustcoder: the user asked for that one.
 */
export function findServer(input: DiscoveryInput, probe: Probe = realProbe): Discovery {
  const configured = input.configuredPath.trim();
  if (configured) {
    const file = expandPath(configured, input.workspaceFolders[0], input.home, input.platform);
    if (!probe(file)) {
      return {
        kind: "invalid",
        message: `rustcoder.server.path is set to "${configured}", which is not an executable file.`,
      };
    }
    return { kind: "found", command: file, args: ["serve"], source: "setting" };
  }
  const tried: string[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates(input)) {
    if (seen.has(candidate.file)) {
      continue;
    }
    seen.add(candidate.file);
    tried.push(candidate.file);
    if (probe(candidate.file)) {
      return { kind: "found", command: candidate.file, args: ["serve"], source: candidate.source };
    }
  }
  return { kind: "missing", tried };
}

export interface Step {
  title: string;
  command: string;
  args: string[];
}

/**
 * How to create the managed environment: a venv in the extension's storage and
 * `pip install <source>` (a package name, a wheel or a source folder).
 */
export function managedInstallPlan(
  managedVenv: string,
  python: string,
  source: string,
  platform: NodeJS.Platform,
): { steps: Step[]; server: string } {
  const bin = venvBin(managedVenv, platform);
  const venvPython = pathApi(platform).join(bin, exeName("python", platform));
  const what = source.trim() || "rustcoder";
  return {
    steps: [
      { title: "Creating a Python environment", command: python.trim() || "python3", args: ["-m", "venv", managedVenv] },
      {
        title: `Installing ${what}`,
        command: venvPython,
        args: ["-m", "pip", "install", "--disable-pip-version-check", "--upgrade", what],
      },
    ],
    server: pathApi(platform).join(bin, exeName("rustcoder", platform)),
  };
}
