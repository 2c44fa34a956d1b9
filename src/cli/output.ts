import { AsyncLocalStorage } from "node:async_hooks";
import { createInterface } from "node:readline";
import type { AdminIO } from "./context.js";

const current = new AsyncLocalStorage<AdminIO>();

/**
 * Where the running admin command reads and writes: the streams given to `runAdmin` (tests pass
 * their own), the process's otherwise. Commands write through this, never to `process.stdout`.
 */
export function io(): AdminIO {
  return current.getStore() ?? { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Runs `fn` with `streams` as the admin command's {@link io}. */
export function withIO<T>(streams: AdminIO, fn: () => Promise<T>): Promise<T> {
  return current.run(streams, fn);
}

/** Writes `text`, waiting when the stream asks to (a large export to a pipe). */
export function write(text: string): Promise<void> {
  const { stdout } = io();
  return new Promise((resolve) => {
    if (stdout.write(text)) resolve();
    else stdout.once("drain", resolve);
  });
}

/** Prints `data` as JSON when `json` is set, otherwise the human-readable lines from `human`. */
export function output<T>(data: T, json: boolean | undefined, human: (data: T) => string | string[]): void {
  if (json) {
    io().stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  const text = human(data);
  io().stdout.write(`${Array.isArray(text) ? text.join("\n") : text}\n`);
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
  const { stdin, stdout } = io();
  const rl = createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
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
    if (!stdout.write(`${JSON.stringify(out)}\n`)) await new Promise((r) => stdout.once("drain", r));
  }
}
