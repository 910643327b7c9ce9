/**
 * The rustcoder VS Code extension: starts `rustcoder serve` for Rust files next to
 * rust-analyzer and adds its commands and status bar item.
 *
 * Decisions live in the pure modules (discovery, settings, status, diagnostics);
 * this file only wires them to VS Code and vscode-languageclient.
 */
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from "vscode-languageclient/node";
import { Discovery, Found, findServer, managedInstallPlan } from "./discovery";
import { codeOf, diagnosticAt, isErrorCode, linkOf } from "./diagnostics";
import { generatedFiles } from "./generate";
import { SECTION, needsRestart, settingKeys, toServerSettings } from "./settings";
import { ProgressValue, Status, applyProgress, describeModel, initialStatus, render, withServer } from "./status";

let client: LanguageClient | undefined;
let server: Found | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
let status: Status;
let keys: string[] = [];
let context: vscode.ExtensionContext;

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function serverSettings(): ReturnType<typeof toServerSettings> {
  const cfg = config();
  return toServerSettings(keys, (key) => cfg.get(key));
}

function setStatus(next: Status): void {
  status = next;
  const { text, tooltip } = render(status);
  statusItem.text = text;
  statusItem.tooltip = tooltip;
}

function modelDescription(): string {
  const cfg = config();
  return describeModel(cfg.get<string>("model.name", ""), cfg.get<string>("model.endpoint", ""));
}

function discover(): Discovery {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  return findServer({
    configuredPath: config().get<string>("server.path", ""),
    workspaceFolders: folders,
    pythonInterpreter: vscode.workspace.getConfiguration("python").get<string>("defaultInterpreterPath"),
    envPath: process.env.PATH ?? "",
    platform: process.platform,
    managedVenv: vscode.Uri.joinPath(context.globalStorageUri, "venv").fsPath,
    home: os.homedir(),
  });
}

function run(command: string, args: string[]): Promise<void> {
  output.appendLine(`$ ${command} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      output.append(stdout);
      output.append(stderr);
      if (error) {
        reject(new Error(`${command} failed: ${error.message}`));
      } else {
        resolve();
      }
    });
  });
}

/** Offers to create the managed environment; returns the server if it was installed. */
async function offerInstall(tried: string[]): Promise<Found | undefined> {
  output.appendLine(`No rustcoder server found; looked at:\n  ${tried.join("\n  ")}`);
  const install = "Install in a managed environment";
  const settings = "Set rustcoder.server.path";
  const choice = await vscode.window.showWarningMessage(
    "rustcoder: no rustcoder server found. Install one in an environment managed by this extension?",
    install,
    settings,
  );
  if (choice === settings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "rustcoder.server.path");
    return undefined;
  }
  if (choice !== install) {
    return undefined;
  }
  const plan = managedInstallPlan(
    vscode.Uri.joinPath(context.globalStorageUri, "venv").fsPath,
    config().get<string>("server.python", "python3"),
    config().get<string>("server.installSource", "rustcoder"),
    process.platform,
  );
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "rustcoder" },
      async (progress) => {
        for (const step of plan.steps) {
          progress.report({ message: step.title });
          await run(step.command, step.args);
        }
      },
    );
  } catch (error) {
    output.show(true);
    void vscode.window.showErrorMessage(`rustcoder: installing the server failed: ${(error as Error).message}`);
    return undefined;
  }
  return { kind: "found", command: plan.server, args: ["serve"], source: "managed venv" };
}

async function startClient(): Promise<void> {
  setStatus(withServer(status, "starting"));
  const found = discover();
  if (found.kind === "invalid") {
    setStatus(withServer(status, "missing"));
    void vscode.window.showErrorMessage(`rustcoder: ${found.message}`);
    return;
  }
  server = found.kind === "found" ? found : await offerInstall(found.tried);
  if (!server) {
    setStatus(withServer(status, "missing"));
    return;
  }
  output.appendLine(`Starting ${server.command} ${server.args.join(" ")} (found via ${server.source})`);
  const serverOptions: ServerOptions = { command: server.command, args: server.args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "rust" }],
    outputChannel: output,
    initializationOptions: serverSettings(),
    middleware: {
      workspace: {
        // The server may pull its section: answer with the translated settings.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) => (item.section === SECTION ? serverSettings() : answers[index]));
        },
      },
    },
  };
  const next = new LanguageClient("rustcoder", "rustcoder", serverOptions, clientOptions);
  next.onDidChangeState((event) => {
    if (event.newState === State.Running) {
      setStatus(withServer(status, "running"));
    } else if (event.newState === State.Stopped) {
      setStatus(withServer(status, client === next ? "failed" : "stopped"));
    }
  });
  client = next;
  try {
    await next.start();
  } catch (error) {
    setStatus(withServer(status, "failed"));
    output.appendLine(`rustcoder failed to start: ${(error as Error).message}`);
    void vscode.window.showErrorMessage("rustcoder: the server failed to start; see Show Output.");
    return;
  }
  // Follow the server's progress (each cargo check) in the status bar item.
  next.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    const disposable = next.onProgress(WorkDoneProgress.type, token, (value) => {
      setStatus(applyProgress(status, token, value as ProgressValue));
      if (value.kind === "end") {
        disposable.dispose();
      }
    });
  });
}

async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) {
    try {
      await current.stop();
    } catch (error) {
      output.appendLine(`stopping rustcoder: ${(error as Error).message}`);
    }
  }
  setStatus(withServer(status, "stopped"));
}

async function restart(): Promise<void> {
  await stopClient();
  await startClient();
}

function runningClient(): LanguageClient | undefined {
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage("rustcoder: the server is not running (rustcoder: Restart Server).");
    return undefined;
  }
  return client;
}

function serverHas(c: LanguageClient, command: string): boolean {
  return c.initializeResult?.capabilities.executeCommandProvider?.commands.includes(command) ?? false;
}

async function executeOnServer(command: string, args: unknown[]): Promise<unknown> {
  const c = runningClient();
  if (!c) {
    return undefined;
  }
  if (!serverHas(c, command)) {
    void vscode.window.showWarningMessage(`rustcoder: this server has no ${command} command; update rustcoder.`);
    return undefined;
  }
  try {
    return await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  } catch (error) {
    void vscode.window.showErrorMessage(`rustcoder: ${command} failed: ${(error as Error).message}`);
    return undefined;
  }
}

/** Runs the rustcoder CLI in a terminal (model pulls and searches print as they go). */
function runInTerminal(name: string, args: string[]): void {
  if (!server) {
    void vscode.window.showWarningMessage("rustcoder: no rustcoder executable found (rustcoder: Restart Server).");
    return;
  }
  const terminal = vscode.window.createTerminal({ name, shellPath: server.command, shellArgs: args });
  terminal.show();
}

async function generateCrate(): Promise<void> {
  const description = await vscode.window.showInputBox({
    title: "Generate Crate from Description",
    prompt: "What should the crate do?",
    placeHolder: "a CLI that counts words in the files given as arguments",
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : "Describe the crate in a sentence or two."),
  });
  if (!description?.trim()) {
    return;
  }
  const folders = await vscode.window.showOpenDialog({
    title: "Folder for the new crate",
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: "Generate Here",
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  if (!folders || folders.length === 0) {
    return;
  }
  const answer = await executeOnServer("rustcoder.generateCrate", [description.trim(), folders[0].toString()]);
  // VS Code created the files empty with their text in unsaved editors: save them.
  for (const file of generatedFiles(answer)) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === "file" && d.uri.fsPath === file);
    if (document?.isDirty && !(await document.save())) {
      void vscode.window.showWarningMessage(`rustcoder: could not save ${file}`);
    }
  }
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "rust") {
    void vscode.window.showInformationMessage("rustcoder: open a Rust file first.");
    return;
  }
  // The server fixes the file on disk: save first so nothing typed is lost.
  if (editor.document.isDirty && !(await editor.document.save())) {
    return;
  }
  await executeOnServer("rustcoder.fixAllInFile", [editor.document.uri.toString()]);
}

async function explainError(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const position = editor.selection.active;
  const diagnostic = diagnosticAt(vscode.languages.getDiagnostics(editor.document.uri), position);
  const code = diagnostic ? codeOf(diagnostic.code) : undefined;
  if (!diagnostic || !code) {
    void vscode.window.showInformationMessage("rustcoder: no error with a code under the cursor.");
    return;
  }
  const c = runningClient();
  // The server explains rustc's error codes and shows the text itself (window/showDocument).
  if (c && isErrorCode(code) && serverHas(c, "rustcoder.explainError")) {
    await executeOnServer("rustcoder.explainError", [
      { uri: editor.document.uri.toString(), position: { line: position.line, character: position.character }, code },
    ]);
    return;
  }
  const link = linkOf(diagnostic.code);
  if (link) {
    await vscode.env.openExternal(vscode.Uri.parse(link));
  } else {
    runInTerminal(`rustcoder: explain ${code}`, ["kb", "search", "--code", code, diagnostic.message.split("\n")[0]]);
  }
}

async function searchKb(): Promise<void> {
  const query = await vscode.window.showInputBox({
    title: "Search Knowledge Base",
    prompt: "An error message, an error code or a few words",
    ignoreFocusOut: true,
  });
  if (query?.trim()) {
    runInTerminal("rustcoder kb search", ["kb", "search", query.trim()]);
  }
}

async function pullModel(): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: "Pull Model",
    prompt: "Model name (see `rustcoder model list`)",
    value: config().get<string>("model.name", ""),
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : "A model name is needed."),
  });
  if (name?.trim()) {
    runInTerminal(`rustcoder model pull ${name.trim()}`, ["model", "pull", name.trim()]);
  }
}

async function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration(SECTION)) {
    return;
  }
  setStatus({ ...status, model: modelDescription() });
  if (needsRestart((key) => event.affectsConfiguration(key))) {
    await restart();
    return;
  }
  if (client?.state === State.Running) {
    await client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: serverSettings() },
    });
  }
}

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  keys = settingKeys(ctx.extension.packageJSON);
  output = vscode.window.createOutputChannel("rustcoder");
  statusItem = vscode.window.createStatusBarItem("rustcoder.status", vscode.StatusBarAlignment.Left, 0);
  statusItem.name = "rustcoder";
  statusItem.command = "rustcoder.showOutput";
  status = initialStatus(modelDescription());
  setStatus(status);
  statusItem.show();
  ctx.subscriptions.push(
    output,
    statusItem,
    vscode.commands.registerCommand("rustcoder.generateCrateFromDescription", generateCrate),
    vscode.commands.registerCommand("rustcoder.fixAllVerified", fixAll),
    vscode.commands.registerCommand("rustcoder.explainErrorAtCursor", explainError),
    vscode.commands.registerCommand("rustcoder.searchKnowledgeBase", searchKb),
    vscode.commands.registerCommand("rustcoder.pullModel", pullModel),
    vscode.commands.registerCommand("rustcoder.restartServer", restart),
    vscode.commands.registerCommand("rustcoder.showOutput", () => output.show()),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
