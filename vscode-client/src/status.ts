/**
 * The status bar item's state, driven by the server's work-done progress.
 *
 * Pure (no `vscode` import). The server reports each `cargo check` as
 * begin/report/end progress; the end message is its summary ("1 error, 0
 * warnings"). The model part comes from the settings.
 */

export type ServerState = "starting" | "running" | "stopped" | "missing" | "failed";

export interface ProgressValue {
  kind: "begin" | "report" | "end";
  title?: string;
  message?: string;
  percentage?: number;
}

export interface Status {
  server: ServerState;
  /** Progress in flight, by token: its title and latest message. */
  running: Map<string, { title: string; message: string }>;
  /** The last finished work's summary. */
  last?: string;
  model: string;
}

export function initialStatus(model: string): Status {
  return { server: "starting", running: new Map(), model };
}

/** A new state after one `$/progress` value (the old one is left as it was). */
export function applyProgress(status: Status, token: string | number, value: ProgressValue): Status {
  const running = new Map(status.running);
  const key = String(token);
  let last = status.last;
  if (value.kind === "begin") {
    running.set(key, { title: value.title ?? "working", message: value.message ?? "" });
  } else if (value.kind === "report") {
    const entry = running.get(key);
    if (entry) {
      running.set(key, { ...entry, message: value.message ?? entry.message });
    }
  } else {
    const entry = running.get(key);
    running.delete(key);
    if (value.message) {
      last = entry ? `${entry.title}: ${value.message}` : value.message;
    }
  }
  return { ...status, running, last };
}

export function withServer(status: Status, server: ServerState): Status {
  return { ...status, server, running: server === "running" ? status.running : new Map() };
}

/** "none", "NAME", or "NAME @ host" for an endpoint. */
export function describeModel(name: string, endpoint: string): string {
  const model = name.trim();
  const url = endpoint.trim();
  if (!url) {
    return model || "none";
  }
  let host = url;
  try {
    host = new URL(url).host || url;
  } catch {
    // not a URL: show it as written
  }
  return `${model || "default"} @ ${host}`;
}

/** The summary says errors when it starts with a non-zero error count. */
function hasErrors(summary: string | undefined): boolean {
  const match = summary?.match(/(\d+) errors?\b/);
  return match !== null && match !== undefined && Number(match[1]) > 0;
}

/** Text (with codicons) and tooltip for the status bar item. */
export function render(status: Status): { text: string; tooltip: string } {
  const lines = [`Model: ${status.model}`];
  let text: string;
  switch (status.server) {
    case "missing":
      text = "$(warning) rustcoder: no server";
      lines.unshift("No rustcoder server found: set rustcoder.server.path or install one.");
      break;
    case "failed":
      text = "$(error) rustcoder";
      lines.unshift("The rustcoder server stopped; see Show Output.");
      break;
    case "stopped":
      text = "$(circle-slash) rustcoder";
      lines.unshift("The rustcoder server is stopped.");
      break;
    case "starting":
      text = "$(loading~spin) rustcoder";
      lines.unshift("Starting the rustcoder server…");
      break;
    default: {
      const running = [...status.running.values()];
      if (running.length > 0) {
        const first = running[0];
        text = `$(sync~spin) rustcoder: ${first.title}${running.length > 1 ? ` (+${running.length - 1})` : ""}`;
        lines.unshift(...running.map((r) => `${r.title}${r.message ? ` — ${r.message}` : ""}`));
      } else {
        text = hasErrors(status.last) ? "$(error) rustcoder" : "$(check) rustcoder";
        lines.unshift(status.last ? `Last: ${status.last}` : "Idle");
      }
    }
  }
  return { text, tooltip: lines.join("\n") };
}
