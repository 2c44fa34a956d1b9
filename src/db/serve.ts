/**
 * Serves the program's embedded database to other processes (the admin command line, `psql`) with
 * @electric-sql/pglite-socket, on a Unix socket in DATA_DIR (`DATA_DIR/.s.PGSQL.5432`, so
 * `psql -h $PWD/data -U postgres postgres` finds it) or on 127.0.0.1 and a port.
 *
 * PGlite is one backend: the socket server feeds it one wire-protocol message at a time, and the
 * program keeps querying the same instance directly. Left alone, the program's statements could run
 * between a client's `BEGIN` and `COMMIT` (inside the client's transaction), or between the Parse and
 * the Sync of a client's extended-protocol query. So the server is given a gated view of PGlite:
 * from a client's first message until PGlite answers ReadyForQuery with status "idle", the client
 * holds PGlite's transaction lock (the one `db.query` and `db.transaction` take), and the program's
 * statements wait; a client that disconnects in the middle is rolled back and the lock released.
 * pglite-socket multiplexes its clients over the one backend, statement by statement (a client inside
 * a transaction keeps it to itself); it accepts {@link MAX_CLIENTS} connections and refuses more, so
 * the admin command line connects with one connection and no named prepared statements (they would
 * outlive the connection in the shared backend). Session settings a client changes (`SET …`) are
 * the program's too: change none.
 */
import { chmodSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** Where a served database can be reached. */
export interface ServedAddress {
  socket?: string;
  host?: string;
  port?: number;
}

/** The Unix socket name libpq looks for in a socket directory (`psql -h <dir>`). */
export const SOCKET_NAME = ".s.PGSQL.5432";
/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with the final NUL). */
const MAX_SOCKET_PATH = 107;

/** Connections served at once (an admin command, a psql session, a few spare). */
export const MAX_CLIENTS = 4;

const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4);

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, "utf8");
  const msg = Buffer.alloc(5 + body.length);
  msg.write("Q", 0, "latin1");
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return msg;
}

/**
 * PGlite as the socket server sees it: each client message runs under PGlite's query lock (as the
 * library does) and, until the client is back to "idle", under its transaction lock as well.
 */
function gated(db: PGlite) {
  let release: (() => void) | undefined;
  let idle = true;
  const enter = async () => {
    if (release) return;
    await new Promise<void>((entered, failed) => {
      db._runExclusiveTransaction(
        () =>
          new Promise<void>((done) => {
            release = done;
            entered();
          }),
      ).catch(failed);
    });
  };
  const leave = () => {
    const r = release;
    release = undefined;
    r?.();
  };
  return {
    get waitReady() {
      return db.waitReady;
    },
    /** The library asks this to keep a client's transaction to itself; true while a client holds the gate. */
    isInTransaction: () => release !== undefined,
    async runExclusive<T>(fn: () => Promise<T>): Promise<T> {
      await enter();
      try {
        return await db.runExclusive(fn);
      } finally {
        if (idle) leave();
      }
    },
    async execProtocolRawStream(
      message: Uint8Array,
      options: { syncToFs?: boolean; onRawData: (data: Uint8Array) => void },
    ): Promise<void> {
      // ReadyForQuery ("Z", length 5, status) ends a response when the backend is ready again;
      // its status byte says whether the client is still inside a transaction ("T", "E") or not ("I").
      let tail = new Uint8Array(0);
      await db.execProtocolRawStream(message, {
        ...options,
        onRawData: (data) => {
          const joined = new Uint8Array(tail.length + data.length);
          joined.set(tail);
          joined.set(data, tail.length);
          tail = joined.slice(-6);
          options.onRawData(data);
        },
      });
      idle =
        tail.length === 6 &&
        tail[0] === 0x5a &&
        tail[1] === 0 &&
        tail[2] === 0 &&
        tail[3] === 0 &&
        tail[4] === 5 &&
        tail[5] === 0x49;
    },
    /** Called by the library with "ROLLBACK" when a client disconnects inside a transaction. */
    async exec(query: string): Promise<void> {
      await db.runExclusive(async () => {
        // Finish any half-sent extended-protocol query first: until a Sync the backend ignores the rest.
        await db.execProtocolRaw(SYNC);
        await db.execProtocolRaw(simpleQuery(query));
      });
      idle = true;
      leave();
    },
  };
}

/** A running socket server; `close` stops it and removes the socket file. */
export interface PgliteServer {
  address: ServedAddress;
  close(): Promise<void>;
}

/**
 * Serves `db` on `DATA_DIR/.s.PGSQL.5432`, or on 127.0.0.1:`port` when a port is given (also when the
 * socket path would be too long for a Unix socket; port 0 lets the system choose). The caller holds
 * the folder's lock, so a socket file already there is a leftover of a crash and is replaced.
 */
export async function servePglite(db: PGlite, dataDir: string, port?: number): Promise<PgliteServer> {
  const socket = join(dataDir, SOCKET_NAME);
  const useTcp = port !== undefined || socket.length > MAX_SOCKET_PATH;
  if (!useTcp) rmSync(socket, { force: true });
  const server = new PGLiteSocketServer({
    db: gated(db) as unknown as PGlite,
    ...(useTcp ? { host: "127.0.0.1", port: port ?? 0 } : { path: socket }),
    maxConnections: MAX_CLIENTS,
  });
  await server.start();
  let address: ServedAddress;
  if (useTcp) {
    const [host, p] = server.getServerConn().split(":");
    address = { host: host!, port: Number(p) };
  } else {
    chmodSync(socket, 0o600);
    address = { socket };
  }
  return {
    address,
    async close() {
      await server.stop();
      if (address.socket) rmSync(address.socket, { force: true });
    },
  };
}
