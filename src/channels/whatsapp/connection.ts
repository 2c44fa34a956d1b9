import type { Logger } from "../../log.js";
import type { WhatsAppClient, WhatsAppClientFactory, WhatsAppMessage } from "./client.js";
import { errorText } from "./errors.js";

/** Where the WhatsApp Web connection is. */
export type WhatsAppState =
  | "stopped"
  | "starting"
  | "qr"
  | "authenticated"
  | "ready"
  | "disconnected"
  | "restarting"
  | "auth_failure"
  | "failed";

/** What the admin page shows: the state, the QR or pairing code while unpaired, and restarts so far. */
export interface WhatsAppStatus {
  state: WhatsAppState;
  /** The latest QR payload while waiting to be paired. */
  qr: string | null;
  /** The latest pairing code, when pairing by phone number. */
  pairingCode: string | null;
  restarts: number;
  lastError: string | null;
  since: Date;
}

/** What the connection tells its owner. */
export interface ConnectionHooks {
  onMessage(message: WhatsAppMessage): void;
  /** The client became able to send (true) or stopped being able to (false). */
  onReady(ready: boolean): void;
  /** A new client was made (the watchdog watches it). */
  onClient(client: WhatsAppClient): void;
  /** A QR to show (the terminal). */
  onQr(qr: string): void;
  /** A pairing code to show. */
  onPairingCode(code: string): void;
}

/** How long a dead client may take to close before it is abandoned (ms). */
const DESTROY_TIMEOUT_MS = 20_000;
/** Starting a client (browser, page, session) that takes longer than this is abandoned and retried (ms). */
const INITIALIZE_TIMEOUT_MS = 180_000;
/** A pairing code is valid about three minutes; a newer QR after this asks for a new code. */
const PAIRING_CODE_TTL_MS = 150_000;

/**
 * The life of the WhatsApp Web client: makes it with the factory, wires its events, and on
 * {@link restart} destroys it and starts a fresh one (retrying with backoff while starting fails,
 * e.g. Chromium missing). Only one restart runs at a time; calls during one join it.
 */
export class WhatsAppConnection {
  private current: WhatsAppClient | undefined;
  private restarting: Promise<void> | undefined;
  private stopped = false;
  private readonly status: WhatsAppStatus = {
    state: "stopped",
    qr: null,
    pairingCode: null,
    restarts: 0,
    lastError: null,
    since: new Date(),
  };
  private pairingRequestedAt = 0;
  private booting = false;
  /** Ends the pause between two start attempts early (on stop). */
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly deps: {
      factory: WhatsAppClientFactory;
      hooks: ConnectionHooks;
      logger: Logger;
      /** Phone number (digits) to pair by code instead of QR. */
      pairingPhone?: string | undefined;
      /** First pause before trying again when starting fails (ms); doubles up to 5 minutes. */
      retryBackoffMs?: number;
    },
  ) {}

  /** The client in use. */
  get client(): WhatsAppClient {
    if (!this.current) throw new Error("WhatsApp client not started");
    return this.current;
  }

  /** A copy of the status. */
  snapshot(): WhatsAppStatus {
    return { ...this.status };
  }

  /** True while a restart is running or the connection is stopped (the watchdog then does not poll). */
  busy(): boolean {
    return this.restarting !== undefined || this.booting || this.stopped || this.current === undefined;
  }

  /** Makes and starts the first client. Resolves once it started (or is retrying in the background). */
  async start(): Promise<void> {
    this.stopped = false;
    this.setState("starting");
    try {
      await this.boot();
    } catch (e) {
      this.status.lastError = errorText(e);
      this.deps.logger.error({ err: errorText(e) }, "whatsapp client failed to start; retrying");
      void this.restart(`start failed: ${errorText(e)}`);
    }
  }

  /** Destroys the client and starts a fresh one; the outbox waits meanwhile and resends after. */
  restart(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.restarting) return this.restarting;
    this.restarting = this.doRestart(reason).finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** Stops for good (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.restarting?.catch(() => {});
    this.deps.hooks.onReady(false);
    const old = this.current;
    this.current = undefined;
    this.setState("stopped");
    if (old) await this.destroy(old);
  }

  private async doRestart(reason: string): Promise<void> {
    const log = this.deps.logger;
    this.status.restarts++;
    this.status.lastError = reason;
    this.deps.hooks.onReady(false);
    this.setState("restarting");
    log.warn({ reason, restarts: this.status.restarts }, "restarting the whatsapp client");
    const old = this.current;
    this.current = undefined;
    if (old) await this.destroy(old);
    let delay = this.deps.retryBackoffMs ?? 5_000;
    while (!this.stopped) {
      try {
        await this.boot();
        return;
      } catch (e) {
        this.status.lastError = errorText(e);
        this.setState("failed");
        log.error({ err: errorText(e), retryInMs: delay }, "whatsapp client failed to start");
        const broken = this.current;
        this.current = undefined;
        if (broken) await this.destroy(broken);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
        delay = Math.min(delay * 2, 300_000);
      }
    }
  }

  private async destroy(client: WhatsAppClient): Promise<void> {
    client.removeAllListeners();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.destroy(),
      new Promise((r) => {
        timer = setTimeout(r, DESTROY_TIMEOUT_MS);
      }),
    ])
      .catch((e: unknown) => this.deps.logger.warn({ err: errorText(e) }, "whatsapp client destroy failed"))
      .finally(() => clearTimeout(timer));
  }

  private async boot(): Promise<void> {
    const client = this.deps.factory();
    this.current = client;
    this.wire(client);
    this.deps.hooks.onClient(client);
    if (this.status.state !== "ready") this.setState("starting");
    this.booting = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.initialize(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`initialize did not finish within ${INITIALIZE_TIMEOUT_MS} ms`)),
            INITIALIZE_TIMEOUT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.booting = false;
    }
  }

  private wire(client: WhatsAppClient): void {
    const { hooks, logger } = this.deps;
    const mine = () => this.current === client;
    client.on("message", (m) => {
      if (mine()) hooks.onMessage(m);
    });
    client.on("qr", (qr) => {
      if (!mine()) return;
      this.status.qr = qr;
      this.setState("qr");
      hooks.onQr(qr);
      this.requestPairingCode(client);
    });
    client.on("authenticated", () => {
      if (!mine()) return;
      this.status.qr = null;
      this.status.pairingCode = null;
      this.setState("authenticated");
    });
    client.on("ready", () => {
      if (!mine()) return;
      this.status.qr = null;
      this.status.pairingCode = null;
      this.setState("ready");
      logger.info("whatsapp client ready");
      hooks.onReady(true);
    });
    client.on("auth_failure", (message) => {
      if (!mine()) return;
      this.status.lastError = message;
      this.setState("auth_failure");
      logger.error({ err: message }, "whatsapp authentication failed; pair again");
    });
    client.on("disconnected", (reason) => {
      if (!mine()) return;
      this.setState("disconnected");
      hooks.onReady(false);
      logger.warn({ reason }, "whatsapp client disconnected");
    });
    client.on("change_state", (state) => {
      if (mine()) logger.info({ state }, "whatsapp connection state");
    });
  }

  private requestPairingCode(client: WhatsAppClient): void {
    const phone = this.deps.pairingPhone;
    if (!phone || Date.now() - this.pairingRequestedAt < PAIRING_CODE_TTL_MS) return;
    this.pairingRequestedAt = Date.now();
    client.requestPairingCode(phone).then(
      (code) => {
        this.status.pairingCode = code;
        this.deps.hooks.onPairingCode(code);
      },
      (e: unknown) => {
        this.pairingRequestedAt = 0;
        this.deps.logger.warn({ err: errorText(e) }, "whatsapp pairing code request failed");
      },
    );
  }

  private setState(state: WhatsAppState): void {
    if (this.status.state === state) return;
    this.status.state = state;
    this.status.since = new Date();
  }
}
