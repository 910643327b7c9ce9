/**
 * What the extension does with the answer of the server's `rustcoder.generateCrate`.
 *
 * Pure (no `vscode` import). VS Code applies the server's creation edit by creating
 * each file empty on disk and putting its text in an unsaved editor, so a generated
 * crate would not build until the user saved every file. The answer names the folder
 * and the files; the extension saves those (and only those) editors.
 */
import * as path from "node:path";

/** Absolute paths of the files a successful generation created, inside its folder. */
export function generatedFiles(answer: unknown): string[] {
  if (typeof answer !== "object" || answer === null) {
    return [];
  }
  const { folder, files } = answer as { folder?: unknown; files?: unknown };
  if (typeof folder !== "string" || !path.isAbsolute(folder) || !Array.isArray(files)) {
    return [];
  }
  const result: string[] = [];
  for (const file of files) {
    if (typeof file !== "string" || file === "") {
      continue;
    }
    const absolute = path.resolve(folder, file);
    // Never a file outside the folder the user picked, whatever the answer says.
    if (absolute.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)) {
      result.push(absolute);
    }
  }
  return result;
}
