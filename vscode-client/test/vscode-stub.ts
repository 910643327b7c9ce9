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
  config: Record<string, unknown>;
}

function inert(): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_t, prop) => (prop === "prototype" ? {} : prop === Symbol.toPrimitive ? () => "" : inert()),
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

export function makeVscode(
  recorder: Recorder,
  packageJson: { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } },
  workspaceFolder: string,
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
    Uri: {
      joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: path.join(base.fsPath, ...parts), scheme: "file" }),
      file: (fsPath: string) => ({ fsPath, scheme: "file", toString: () => `file://${fsPath}` }),
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
        append: () => undefined,
        appendLine: () => undefined,
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
      workspaceFolders: [{ uri: { scheme: "file", fsPath: workspaceFolder }, name: "ws", index: 0 }],
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
  return new Proxy(api, { get: (t, prop: string) => (prop in t ? t[prop] : inert()) });
}
