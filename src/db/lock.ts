/**
 * One process at a time opens an embedded database folder. PGlite is one process's database: two
 * processes writing the same folder corrupt it. The process that opens the folder first writes
 * `DATA_DIR/pglite.lock` (created exclusively, holding its pid and, for the program, where it serves
 * the database); a second process finds it and either connects through the first one's socket (the
 * admin command line) or stops at once naming the folder and the process (a second program).
 * A lock whose pid is no longer alive was left by a crash and is taken over.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { LaporError } from "../errors.js";

/** What the lock file says about the process holding the folder. */
export interface LockInfo {
  pid: number;
  /** "program" (`npm start`, serves the database) or "admin" (an admin command holding the folder). */
  role: "program" | "admin";
  startedAt: string;
  /** Where the program serves the database: a Unix socket path, or 127.0.0.1 and a port. */
  socket?: string;
  host?: string;
  port?: number;
}

/** The embedded database folder is held by another live process. */
export class DataDirLockedError extends LaporError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    const who =
      holder.role === "program"
        ? `the running LaporNetral program (pid ${holder.pid}, started ${holder.startedAt})`
        : `an admin command (pid ${holder.pid}, started ${holder.startedAt})`;
    super(
      "data_dir_locked",
      `the embedded database in ${dataDir} is in use by ${who}. Only one process may open it: stop that ` +
        `process first (or, if pid ${holder.pid} is not LaporNetral, delete ${lockPath(dataDir)}).`,
    );
  }
}

/** The lock file of a data folder. */
export function lockPath(dataDir: string): string {
  return join(dataDir, "pglite.lock");
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    return Number.isInteger(info.pid) && info.pid > 0 ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The live process holding `dataDir`, if any (a lock left by a dead process counts as none).
 * A lock file being written this very moment may read as empty; it is read again briefly.
 */
export function currentHolder(dataDir: string): LockInfo | undefined {
  const info = readLock(lockPath(dataDir));
  return info && alive(info.pid) ? info : undefined;
}

/** A held lock: `update` records where the database is served, `release` removes the file. */
export interface DataDirLock {
  readonly path: string;
  update(extra: Partial<LockInfo>): void;
  release(): void;
}

/**
 * Takes the folder's lock or throws {@link DataDirLockedError} naming the live holder. A stale lock
 * (its pid is dead) is replaced. The file is created with O_EXCL, so of two processes starting at
 * the same moment exactly one wins.
 */
export function acquireDataDirLock(dataDir: string, role: LockInfo["role"]): DataDirLock {
  const path = lockPath(dataDir);
  let info: LockInfo = { pid: process.pid, role, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw e;
      const holder = readLock(path);
      if (holder && alive(holder.pid)) throw new DataDirLockedError(dataDir, holder);
      if (!holder && attempt < 3) {
        // Possibly created a moment ago and not written yet: look again before calling it stale.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        continue;
      }
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(info));
    closeSync(fd);
    break;
  }
  let held = true;
  return {
    path,
    update(extra) {
      if (!held) return;
      info = { ...info, ...extra };
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
      renameSync(tmp, path);
    },
    release() {
      if (!held) return;
      held = false;
      if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}
