/**
 * The folders of `src/` import each other in one direction only: a new import that closes a cycle
 * between two folders (e.g. delivery → officers while officers → delivery) fails this test, so CI
 * refuses it. When two folders need each other, one declares an interface and `src/app.ts` passes
 * the other in (see docs/extending.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The top folder of `src/` a file is in (undefined for files directly in `src/`). */
function folderOf(file: string): string | undefined {
  const parts = relative(SRC, file).split("/");
  return parts.length > 1 ? parts[0] : undefined;
}

/** Folder → the folders it imports, with one example each. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (!from) continue;
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const to = folderOf(resolve(dirname(file), spec));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} imports ${spec}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, as the path that closes it. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const walk = (node: string, path: string[]) => {
    state.set(node, "open");
    for (const next of graph.get(node)?.keys() ?? []) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), node, next]);
      else if (!state.has(next)) walk(next, [...path, node]);
    }
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) walk(node, []);
  return found;
}

describe("folders of src/", () => {
  it("import each other without cycles", () => {
    const graph = folderGraph();
    // The scan reads the real imports (a channel hands messages to the conversation service).
    expect(graph.get("channels")?.has("conversation")).toBe(true);
    const described = cycles(graph).map((c) =>
      c
        .slice(1)
        .map((to, i) => `${c[i]} -> ${to} (${graph.get(c[i]!)?.get(to)})`)
        .join("\n"),
    );
    expect(described).toEqual([]);
  });

  it("the check sees a cycle when there is one", () => {
    const graph = new Map([
      ["delivery", new Map([["officers", "delivery/x.ts imports ../officers/y.js"]])],
      ["officers", new Map([["delivery", "officers/y.ts imports ../delivery/x.js"]])],
    ]);
    expect(cycles(graph)).toEqual([["delivery", "officers", "delivery"]]);
  });
});
