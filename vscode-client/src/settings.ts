/**
 * Translation of the extension's `rustcoder.*` settings into what the server reads.
 *
 * Pure (no `vscode` import) so node's test runner checks it. VS Code settings are
 * flat dotted keys; the server wants nested camelCase objects (`{check: {command}}`)
 * and warns about keys it does not know, so client-only sections never reach it.
 */

/** Sections the extension itself uses; the server never sees them. */
export const CLIENT_ONLY_SECTIONS: readonly string[] = ["server", "trace"];

/** The configuration section every setting lives under. */
export const SECTION = "rustcoder";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ServerSettings = { [section: string]: { [key: string]: Json } };

/** Setting keys (without the `rustcoder.` prefix) from package.json's contributes. */
export function settingKeys(packageJson: unknown): string[] {
  const properties = (packageJson as {
    contributes?: { configuration?: { properties?: Record<string, unknown> } };
  }).contributes?.configuration?.properties;
  if (!properties) {
    return [];
  }
  const prefix = `${SECTION}.`;
  return Object.keys(properties)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/** Whether a key (e.g. `server.path`) is for the extension only. */
export function isClientOnly(key: string): boolean {
  return CLIENT_ONLY_SECTIONS.includes(key.split(".")[0]);
}

function isJson(value: unknown): value is Json {
  if (value === null || ["boolean", "number", "string"].includes(typeof value)) {
    return typeof value !== "number" || Number.isFinite(value);
  }
  if (Array.isArray(value)) {
    return value.every(isJson);
  }
  if (typeof value === "object") {
    return Object.values(value as object).every(isJson);
  }
  return false;
}

/**
 * The server's settings object: `{check: {...}, fix: {...}, model: {...}}`.
 *
 * `read(key)` returns the effective value of `rustcoder.<key>` (VS Code's
 * `WorkspaceConfiguration.get`). Unset values and empty strings are left out:
 * an empty string means "the server's default" (empty model name: no model).
 */
export function toServerSettings(keys: readonly string[], read: (key: string) => unknown): ServerSettings {
  const result: ServerSettings = {};
  for (const key of keys) {
    if (isClientOnly(key)) {
      continue;
    }
    const dot = key.indexOf(".");
    if (dot <= 0 || dot === key.length - 1) {
      continue; // the server has no top-level scalars
    }
    const value = read(key);
    if (value === undefined || value === null || value === "" || !isJson(value)) {
      continue;
    }
    const section = key.slice(0, dot);
    const name = key.slice(dot + 1);
    (result[section] ??= {})[name] = value;
  }
  return result;
}

/** The keys whose change needs a new server process rather than didChangeConfiguration. */
export function needsRestart(changed: (key: string) => boolean): boolean {
  return changed(`${SECTION}.server`);
}
