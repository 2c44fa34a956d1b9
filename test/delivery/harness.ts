/**
 * A program on PGlite without any channel, and delivery workers over fake transports that record
 * what arrived where (and can fail, hang or "die" on a given part), for the worker's own tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { classifySendFailure, type SendFailure } from "../../src/delivery/failure.js";
import type {
  DeliveryContext,
  DeliveryTransport,
  OutgoingFile,
  ReportDocument,
  TextLimits,
} from "../../src/delivery/transport.js";
import { DeliveryWorker, type DeliveryWorkerDeps } from "../../src/delivery/worker.js";
import { createLogger } from "../../src/log.js";
import { EvidenceStore } from "../../src/reports/evidence-store.js";

/** One message that reached a chat. */
export interface Arrival {
  address: string;
  jobId: number;
  part: number;
  kind: "text" | "files" | "location" | "report";
  text?: string;
}

/** What a fake transport does with a send: nothing (it arrives), throw, or never return. */
export type Behaviour = (address: string, ctx: DeliveryContext) => "ok" | "hang" | Error;

/** A transport that records arrivals; `behaviour` decides each send. */
export class FakeTransport implements DeliveryTransport {
  readonly arrivals: Arrival[] = [];
  readonly started: { address: string; part: number }[] = [];
  private readonly hung: (() => void)[] = [];

  constructor(
    readonly arrived: Arrival[],
    public behaviour: Behaviour = () => "ok",
    readonly limits: TextLimits = { text: 4096, textWithButtons: 4096, caption: 1024 },
  ) {}

  classify(e: unknown): SendFailure {
    return classifySendFailure("telegram", e);
  }

  /** Lets every hung send return now, WITHOUT its message arriving (its process is dead). */
  releaseHung(): void {
    for (const r of this.hung.splice(0)) r();
  }

  private async send(address: string, ctx: DeliveryContext, a: Omit<Arrival, "address" | "jobId" | "part">) {
    this.started.push({ address, part: ctx.part });
    const b = this.behaviour(address, ctx);
    if (b instanceof Error) throw b;
    if (b === "hang") {
      await new Promise<void>((resolve) => this.hung.push(resolve));
      throw new Error("the process died while sending");
    }
    const arrival = { address, jobId: ctx.jobId, part: ctx.part, ...a };
    this.arrivals.push(arrival);
    this.arrived.push(arrival);
  }

  sendText(address: string, text: string, ctx: DeliveryContext) {
    return this.send(address, ctx, { kind: "text", text });
  }
  sendFiles(address: string, _files: OutgoingFile[], ctx: DeliveryContext) {
    return this.send(address, ctx, { kind: "files" });
  }
  sendLocation(address: string, _lat: number, _lon: number, ctx: DeliveryContext) {
    return this.send(address, ctx, { kind: "location" });
  }
}

/** A fake transport that also takes whole report documents (like the webhook). */
export class FakeDocumentTransport extends FakeTransport {
  readonly documents: ReportDocument[] = [];
  sendReport(_address: string, report: ReportDocument): Promise<void> {
    this.documents.push(report);
    return Promise.resolve();
  }
}

/** The program without channels; `worker()` makes delivery workers over the given transports. */
export async function startHarness(env: Record<string, string> = {}) {
  const retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 };
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-dw-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    WEB_SIMULATOR: "false",
    DEFAULT_ADMIN_DESTINATION: "telegram:-100999",
    ...env,
  });
  const logger = createLogger({ level: "silent" });
  const app: App = await startApp(config, logger, { workerIntervalMs: 0, retry });
  const store = new EvidenceStore(config.dataDir);
  const workers: DeliveryWorker[] = [];
  return {
    app,
    config,
    db: app.services.database.db,
    worker(transports: DeliveryWorkerDeps["transports"], options: Partial<DeliveryWorkerDeps> = {}) {
      const w = new DeliveryWorker({
        db: app.services.database.db,
        router: app.services.router,
        store,
        registry: app.registry,
        locales: app.locales,
        transports,
        actions: app.officers.actions,
        logger,
        retry,
        ...options,
      });
      workers.push(w);
      return w;
    },
    async close() {
      for (const w of workers) await w.stop().catch(() => {});
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
