import { createInterface } from "node:readline";

/** Prints `data` as JSON when `json` is set, otherwise the human-readable lines from `human`. */
export function output<T>(data: T, json: boolean | undefined, human: (data: T) => string | string[]): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  const text = human(data);
  process.stdout.write(`${Array.isArray(text) ? text.join("\n") : text}\n`);
}

/** A fixed-width table for terminal output. */
export function table(rows: (string | number | null | undefined)[][]): string[] {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? "" : String(c))));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length))) ?? [];
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  "));
}

/**
 * Batch mode: reads JSON lines from stdin and writes one JSON line per input line, in order.
 * A line that is not JSON, or that `handle` rejects, gets `{ line, error, ...empty }` so the
 * output stays aligned with the input.
 */
export async function jsonLines<T>(
  handle: (input: unknown, line: number) => T | Promise<T>,
  empty: Record<string, unknown>,
): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (raw.trim() === "") continue;
    let out: unknown;
    try {
      out = await handle(JSON.parse(raw), line);
    } catch (e) {
      const message = e instanceof SyntaxError ? "not valid JSON" : (e as Error).message;
      out = { line, error: message, ...empty };
    }
    if (!process.stdout.write(`${JSON.stringify(out)}\n`))
      await new Promise((r) => process.stdout.once("drain", r));
  }
}
