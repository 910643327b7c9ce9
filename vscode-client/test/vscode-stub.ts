/**
 * A stand-in for the `vscode` module, enough to run the bundled extension's
 * activate() under node (the VS Code host itself cannot run here). It records
 * what the extension does: commands registered, messages shown, status bar text.
 * Anything the extension does not call resolves to an inert catch-all, so
 * vscode-languageclient's module-level code loads.
 */
import * as path from "node:path";

export interface Recorder {
  commands: Map<string, (...args: unknown[]) => unknown>;
  messages: Array<{ level: "info" | "warning" | "error"; text: string; items: string[] }>;
  statusItems: Array<{ text: string; tooltip: string; visible: boolean }>;
  outputShown: number;
  /** Everything written to the output channel (the client's log). */
  output: string[];
  config: Record<string, unknown>;
}

function inert(): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_t, prop) => {
      if (prop === "prototype") return {};
      if (prop === Symbol.toPrimitive) return () => "";
      if (prop === Symbol.iterator) return function* () {};
      if (prop === "then") return undefined; // not a promise: `await` must not hang
      return inert();
    },
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

/** The given members, and an inert stand-in for every other one. */
function partial(members: Record<string | symbol, unknown>): Record<string | symbol, unknown> {
  return new Proxy(members, { get: (t, prop) => (prop in t ? t[prop] : prop === "then" ? undefined : inert()) });
}

/** vscode.EventEmitter: vscode-languageclient reports its state changes through these. */
class EventEmitter<T> {
  private listeners: Array<(value: T) => void> = [];
  event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class Uri {
  readonly scheme = "file";
  constructor(readonly fsPath: string) {}
  static file(fsPath: string): Uri {
    return new Uri(fsPath);
  }
  static parse(value: string): Uri {
    return new Uri(decodeURIComponent(value.replace(/^file:\/\//, "")));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(path.join(base.fsPath, ...parts));
  }
  get path(): string {
    return this.fsPath;
  }
  toString(): string {
    return `file://${encodeURI(this.fsPath)}`;
  }
}

/** An open editor document, as the language client reads it for didOpen. */
export function textDocument(file: string, text: string, languageId = "rust"): unknown {
  return {
    uri: Uri.file(file),
    fileName: file,
    languageId,
    version: 1,
    isClosed: false,
    isUntitled: false,
    getText: () => text,
  };
}

export function makeVscode(
  recorder: Recorder,
  packageJson: { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } },
  workspaceFolder: string,
  openDocuments: unknown[] = [],
): unknown {
  const disposable = { dispose: () => undefined };
  const message =
    (level: "info" | "warning" | "error") =>
    (text: string, ...items: unknown[]): Promise<undefined> => {
      recorder.messages.push({ level, text, items: items.filter((i): i is string => typeof i === "string") });
      return Promise.resolve(undefined); // the user dismisses every message
    };
  const properties = packageJson.contributes.configuration.properties;
  const api: Record<string, unknown> = {
    Uri,
    EventEmitter,
    Disposable,
    version: "1.82.0",
    env: { appName: "Visual Studio Code", language: "en", machineId: "test", sessionId: "test", uriScheme: "vscode" },
    languages: {
      match: (_selector: unknown, doc: { languageId: string }) => (doc.languageId === "rust" ? 10 : 0),
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { Notification: 15 },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        if (recorder.commands.has(id)) {
          throw new Error(`command '${id}' already exists`);
        }
        recorder.commands.set(id, fn);
        return disposable;
      },
      executeCommand: () => Promise.resolve(undefined),
    },
    window: {
      createOutputChannel: () => ({
        append: (text: string) => recorder.output.push(text),
        appendLine: (text: string) => recorder.output.push(`${text}\n`),
        show: () => {
          recorder.outputShown += 1;
        },
        dispose: () => undefined,
      }),
      createStatusBarItem: () => {
        const item = { text: "", tooltip: "", visible: false, name: "", command: "", show: () => (item.visible = true), dispose: () => undefined };
        recorder.statusItems.push(item);
        return item;
      },
      showInformationMessage: message("info"),
      showWarningMessage: message("warning"),
      showErrorMessage: message("error"),
      activeTextEditor: undefined,
    },
    workspace: {
      workspaceFolders: [{ uri: Uri.file(workspaceFolder), name: "ws", index: 0 }],
      textDocuments: openDocuments,
      getConfiguration: (section: string) => ({
        get: (key: string, fallback?: unknown) => {
          const full = `${section}.${key}`;
          if (full in recorder.config) {
            return recorder.config[full];
          }
          return properties[full]?.default ?? fallback;
        },
      }),
      onDidChangeConfiguration: () => disposable,
      fs: { createDirectory: () => Promise.resolve() },
    },
  };
  for (const name of ["languages", "window", "workspace", "commands", "env"]) {
    api[name] = partial(api[name] as Record<string | symbol, unknown>);
  }
  return partial(api);
}
