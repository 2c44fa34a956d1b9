import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";

/** A stored file: its content address and size. */
export interface StoredFile {
  sha256: string;
  /** Path relative to the store's root, derived from the hash: "ab/abcdef…". */
  storageKey: string;
  size: number;
}

/**
 * Evidence files on disk under `<DATA_DIR>/evidence`, content-addressed by SHA-256: the same bytes
 * are stored once, the original bytes are kept as received, and writes are atomic (temporary file,
 * then rename), so a crash never leaves a half-written file under a real name.
 */
export class EvidenceStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, "evidence");
  }

  /** Stores bytes (if not already there) and returns their address. */
  async put(bytes: Uint8Array): Promise<StoredFile> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const storageKey = `${sha256.slice(0, 2)}/${sha256}`;
    const path = join(this.root, storageKey);
    const existing = await stat(path).catch(() => undefined);
    if (existing?.size !== bytes.byteLength) {
      await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
      const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    }
    return { sha256, storageKey, size: bytes.byteLength };
  }

  /** The bytes of a stored file. Throws {@link InputError} for a key that is not a content address. */
  async read(storageKey: string): Promise<Buffer> {
    return readFile(this.pathOf(storageKey));
  }

  /** Absolute path of a stored file. */
  pathOf(storageKey: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(storageKey))
      throw new InputError("storageKey", "not an evidence storage key");
    return join(this.root, storageKey);
  }
}
