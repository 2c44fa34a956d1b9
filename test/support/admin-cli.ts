/** Runs the admin command line as a real process (`tsx src/cli/admin.ts`), the way an admin does. */
import { spawn } from "node:child_process";

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run admin -- <args>` against the PGlite database in `dataDir`, with `stdin` piped in;
 * `env` adds settings (no LLM unless it names one).
 */
export function runAdmin(
  dataDir: string,
  args: string[],
  stdin = "",
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/admin.ts", ...args], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: "",
        LOG_LEVEL: "silent",
        OPENAI_MODEL: "",
        OPENAI_BASE_URL: "",
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
