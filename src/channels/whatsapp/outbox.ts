import type { Logger } from "../../log.js";
import type { WhatsAppContent, WhatsAppSendOptions } from "./client.js";
import {
  errorText,
  isDeadPageError,
  isPermanentSendError,
  WhatsAppNotReadyError,
  WhatsAppSendError,
} from "./errors.js";
import type { Pacer } from "./pacing.js";

/** Replies to citizens go first; bulk (deliveries to offices, notifications, broadcasts) last. */
export type SendPriority = "reply" | "bulk";

/** One message waiting to be sent. */
interface QueuedSend {
  chatId: string;
  content: WhatsAppContent;
  options: WhatsAppSendOptions;
  priority: SendPriority;
  attempts: number;
  resolve(id: string): void;
  reject(e: unknown): void;
  timer?: NodeJS.Timeout;
}

/** What the outbox needs. */
export interface WhatsAppOutboxDeps {
  /** Sends through the current client (the watchdog may have replaced it since). */
  send(chatId: string, content: WhatsAppContent, options: WhatsAppSendOptions): Promise<string>;
  pacer: Pacer;
  /** Called when a send shows the page is dead, or keeps failing: the watchdog restarts the client. */
  onDead(reason: string): void;
  logger: Logger;
  /** A send that takes longer than this counts as a dead page (ms). */
  sendTimeoutMs?: number;
  /** Pause before trying a failed send again, when the client still looks alive (ms). */
  retryDelayMs?: number;
}

/**
 * The WhatsApp Web send queue. Every message goes through it, one at a time, paced with jitter,
 * replies before bulk. While the client is down (not ready yet, or restarting after a dead page)
 * messages wait; a send that fails because the page died stays at the head of its queue and goes
 * again after the restart, so nothing is lost while the process lives. Only a permanent error
 * (the address can never receive) rejects. A bulk message may set how long it waits for a
 * connection: if the client is still down by then it is taken out unsent and the caller (the
 * delivery worker, with its own retries) is told, so one dead number never stalls other channels.
 */
export class WhatsAppOutbox {
  private readonly queues: Record<SendPriority, QueuedSend[]> = { reply: [], bulk: [] };
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private pumping: Promise<void> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: WhatsAppOutboxDeps) {}

  /** Queues a message; resolves to its id once sent. */
  enqueue(
    chatId: string,
    content: WhatsAppContent,
    options: WhatsAppSendOptions & { priority: SendPriority; maxWaitMs?: number },
  ): Promise<string> {
    const { priority, maxWaitMs, ...sendOptions } = options;
    return new Promise<string>((resolve, reject) => {
      const item: QueuedSend = {
        chatId,
        content,
        options: sendOptions,
        priority,
        attempts: 0,
        resolve,
        reject,
      };
      if (maxWaitMs !== undefined) {
        item.timer = setTimeout(() => {
          if (!this.withdraw(item)) return;
          reject(new WhatsAppNotReadyError(maxWaitMs));
        }, maxWaitMs);
      }
      this.queues[priority].push(item);
      this.pump();
    });
  }

  /** The client is connected (true) or down (false); sends wait while it is down. */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (ready) {
      for (const w of this.readyWaiters.splice(0)) w();
      this.pump();
    }
  }

  /** True while the client is connected. */
  isReady(): boolean {
    return this.ready;
  }

  /** Messages waiting (both priorities). */
  size(): number {
    return this.queues.reply.length + this.queues.bulk.length;
  }

  /** Stops sending; what is still queued is rejected (the process is ending). */
  close(): void {
    this.closed = true;
    for (const item of [...this.queues.reply.splice(0), ...this.queues.bulk.splice(0)]) {
      clearTimeout(item.timer);
      item.reject(new WhatsAppSendError("WhatsApp channel stopped before sending", false));
    }
    for (const w of this.readyWaiters.splice(0)) w();
    this.wake?.();
  }

  private withdraw(item: QueuedSend): boolean {
    const queue = this.queues[item.priority];
    const i = queue.indexOf(item);
    if (i < 0) return false;
    queue.splice(i, 1);
    return true;
  }

  private head(): QueuedSend | undefined {
    return this.queues.reply[0] ?? this.queues.bulk[0];
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = this.loop()
      .catch((e: unknown) => this.deps.logger.error({ err: e }, "whatsapp outbox loop failed"))
      .finally(() => {
        this.pumping = undefined;
        if (this.head() && !this.closed) this.pump();
      });
  }

  private async loop(): Promise<void> {
    while (!this.closed && this.head()) {
      if (!this.ready) {
        await new Promise<void>((r) => this.readyWaiters.push(r));
        continue;
      }
      const wait = this.deps.pacer.delay();
      if (wait > 0) {
        await this.sleep(wait);
        continue; // a reply may have arrived meanwhile; pick again
      }
      const item = this.head();
      if (!item) break;
      this.withdraw(item);
      item.attempts++;
      try {
        const id = await this.sendWithTimeout(item);
        this.deps.pacer.sent();
        clearTimeout(item.timer);
        item.resolve(id);
      } catch (e) {
        this.deps.pacer.sent();
        if (this.failed(item, e) && this.ready) {
          await this.sleep(Math.min(30_000, (this.deps.retryDelayMs ?? 1000) * item.attempts));
        }
      }
    }
  }

  /** Handles a failed send; true when the message stays queued and the loop should pause. */
  private failed(item: QueuedSend, e: unknown): boolean {
    const log = this.deps.logger;
    if (isPermanentSendError(e)) {
      clearTimeout(item.timer);
      log.warn({ err: errorText(e), priority: item.priority }, "whatsapp send refused for good");
      item.reject(
        e instanceof WhatsAppSendError ? e : new WhatsAppSendError(errorText(e), true, { cause: e }),
      );
      return false;
    }
    // Back to the head of its queue: it goes again, before anything queued after it.
    this.queues[item.priority].unshift(item);
    const dead = isDeadPageError(e) || e instanceof SendTimeoutError;
    log.warn({ err: errorText(e), attempt: item.attempts, dead }, "whatsapp send failed; will resend");
    if (dead || item.attempts % 3 === 0) {
      this.ready = false;
      this.deps.onDead(errorText(e));
    }
    return true;
  }

  private async sendWithTimeout(item: QueuedSend): Promise<string> {
    const ms = this.deps.sendTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.deps.send(item.chatId, item.content, item.options),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new SendTimeoutError(ms)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** A send that did not finish in time (a hung page). */
class SendTimeoutError extends WhatsAppSendError {
  constructor(ms: number) {
    super(`send did not finish within ${ms} ms`, false);
  }
}
