import type { Logger } from "../../log.js";
import type { WhatsAppClient } from "./client.js";
import type { WhatsAppConnection } from "./connection.js";
import { errorText, isDeadPageError } from "./errors.js";

/** Watchdog timing. */
export interface WatchdogSettings {
  /** How often `getState()` is polled (ms). */
  intervalMs: number;
  /** A `getState()` slower than this counts as a dead page (ms). */
  stateTimeoutMs?: number;
}

/**
 * Detects a dead WhatsApp Web page and restarts the client: a `disconnected` event, a polled
 * `getState()` that throws or hangs ("Execution context was destroyed", "detached Frame", "Target
 * closed", "Session closed" …), or a send that failed that way ({@link trip}). The restart keeps
 * the outbox's queued messages; they go out once the new client is ready.
 */
export class WhatsAppWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly connection: WhatsAppConnection,
    private readonly settings: WatchdogSettings,
    private readonly logger: Logger,
  ) {}

  /** Watches a new client's events (called for every client the connection makes). */
  watch(client: WhatsAppClient): void {
    client.on("disconnected", (reason) => this.trip(`disconnected: ${reason}`));
  }

  /** Starts polling. */
  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.check(), this.settings.intervalMs);
    this.timer.unref();
  }

  /** Stops polling. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Something showed the page is dead: restart (joins a restart already running). */
  trip(reason: string): void {
    this.logger.warn({ reason }, "whatsapp watchdog: client looks dead");
    void this.connection.restart(reason);
  }

  /** One health check: `getState()` must answer in time. */
  async check(): Promise<void> {
    if (this.checking || this.connection.busy()) return;
    this.checking = true;
    const client = this.connection.client;
    const ms = this.settings.stateTimeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.getState(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`getState timed out after ${ms} ms`)), ms);
        }),
      ]);
    } catch (e) {
      // A client replaced meanwhile is not this check's business.
      if (!this.connection.busy() && this.connection.client === client) {
        this.trip(isDeadPageError(e) ? `dead page: ${errorText(e)}` : `getState failed: ${errorText(e)}`);
      }
    } finally {
      clearTimeout(timer);
      this.checking = false;
    }
  }
}
