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
  with(): Uri {
    return this;
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

// Value classes the language client builds from protocol messages (positions, diagnostics,
// code actions, workspace edits): plain data, enough to read them back in a test.
export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === "number" ? new Position(a, b as number) : a;
    this.end = typeof a === "number" ? new Position(c as number, d as number) : (b as Position);
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range | Position,
  ) {}
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  code?: unknown;
  source?: string;
  tags?: number[];
  relatedInformation?: DiagnosticRelatedInformation[];
  constructor(
    public range: Range,
    public message: string,
    public severity = 0,
  ) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind("");
  static readonly QuickFix = CodeActionKind.Empty.append("quickfix");
  static readonly Refactor = CodeActionKind.Empty.append("refactor");
  static readonly RefactorExtract = CodeActionKind.Refactor.append("extract");
  static readonly RefactorInline = CodeActionKind.Refactor.append("inline");
  static readonly RefactorRewrite = CodeActionKind.Refactor.append("rewrite");
  static readonly Source = CodeActionKind.Empty.append("source");
  static readonly SourceOrganizeImports = CodeActionKind.Source.append("organizeImports");
  static readonly SourceFixAll = CodeActionKind.Source.append("fixAll");
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === "" || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  command?: unknown;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export class TextEdit {
  constructor(
    readonly range: Range,
    readonly newText: string,
  ) {}
}

export class WorkspaceEdit {
  private readonly edits = new Map<string, { uri: Uri; edits: TextEdit[] }>();
  /** Files created, in order. */
  readonly created: Uri[] = [];
  createFile(uri: Uri): void {
    this.created.push(uri);
  }
  replace(uri: Uri, range: Range, newText: string): void {
    this.set(uri, [...(this.edits.get(uri.toString())?.edits ?? []), new TextEdit(range, newText)]);
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.replace(uri, new Range(position, position), newText);
  }
  set(uri: Uri, edits: TextEdit[]): void {
    this.edits.set(uri.toString(), { uri, edits });
  }
  entries(): Array<[Uri, TextEdit[]]> {
    return [...this.edits.values()].map((e) => [e.uri, e.edits]);
  }
  get size(): number {
    return this.edits.size;
  }
}

class CancellationTokenSource {
  token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {}
}

/** What the language client registered with `vscode.languages`. */
export interface Registrations {
  codeActionProviders: Array<{
    provideCodeActions(doc: unknown, range: Range, context: unknown, token: unknown): Promise<Array<CodeAction>>;
    resolveCodeAction?(action: CodeAction, token: unknown): Promise<CodeAction>;
  }>;
  diagnostics: Map<string, Diagnostic[]>;
  /** Edits the server sent with workspace/applyEdit (all accepted). */
  appliedEdits: WorkspaceEdit[];
  /** What `vscode.window.activeTextEditor` returns. */
  activeEditor?: unknown;
  /** Answers to showInputBox, in order, and the folder showOpenDialog picks. */
  inputs?: string[];
  folder?: string;
}

export const noToken = new CancellationTokenSource().token;

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
  registrations: Registrations = { codeActionProviders: [], diagnostics: new Map(), appliedEdits: [] },
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
    Position,
    Range,
    Location,
    Diagnostic,
    DiagnosticRelatedInformation,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
    CodeAction,
    CodeActionKind,
    CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
    TextEdit,
    WorkspaceEdit,
    CancellationTokenSource,
    version: "1.82.0",
    env: { appName: "Visual Studio Code", language: "en", machineId: "test", sessionId: "test", uriScheme: "vscode" },
    languages: {
      match: (_selector: unknown, doc: { languageId: string }) => (doc.languageId === "rust" ? 10 : 0),
      registerCodeActionsProvider: (_selector: unknown, provider: Registrations["codeActionProviders"][number]) => {
        registrations.codeActionProviders.push(provider);
        return disposable;
      },
      createDiagnosticCollection: () => ({
        set: (uri: Uri, diagnostics: Diagnostic[]) => registrations.diagnostics.set(uri.toString(), diagnostics),
        delete: (uri: Uri) => registrations.diagnostics.delete(uri.toString()),
        clear: () => registrations.diagnostics.clear(),
        get: (uri: Uri) => registrations.diagnostics.get(uri.toString()),
        forEach: () => undefined,
        dispose: () => undefined,
      }),
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
      showInputBox: () => Promise.resolve(registrations.inputs?.shift()),
      showOpenDialog: () => Promise.resolve(registrations.folder ? [Uri.file(registrations.folder)] : undefined),
      get activeTextEditor() {
        return registrations.activeEditor;
      },
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
      applyEdit: (edit: WorkspaceEdit) => {
        registrations.appliedEdits.push(edit);
        return Promise.resolve(true);
      },
      fs: { createDirectory: () => Promise.resolve() },
    },
  };
  for (const name of ["languages", "window", "workspace", "commands", "env"]) {
    api[name] = partial(api[name] as Record<string | symbol, unknown>);
  }
  return partial(api);
}
