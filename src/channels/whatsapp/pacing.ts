/** How fast the WhatsApp Web channel sends: a random pause between two sends, within bounds. */
export interface PacingSettings {
  /** Shortest pause between two sends (ms). */
  minDelayMs: number;
  /** Longest pause between two sends (ms); at least `minDelayMs`. */
  maxDelayMs: number;
}

/**
 * Spaces sends out with jitter, so the number does not look like a machine firing messages (a
 * common reason for WhatsApp to ban a number). The pause is counted from the previous send: a
 * reply after a quiet minute goes at once, a burst is spread out.
 */
export class Pacer {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private nextGap: number;

  constructor(
    private readonly settings: PacingSettings,
    private readonly random: () => number = Math.random,
    private readonly clock: () => number = Date.now,
  ) {
    this.nextGap = this.drawGap();
  }

  /** Milliseconds to wait before the next send may go (0 when it may go now). */
  delay(): number {
    return Math.max(0, this.lastSentAt + this.nextGap - this.clock());
  }

  /** Records a send, and draws the pause before the next one. */
  sent(): void {
    this.lastSentAt = this.clock();
    this.nextGap = this.drawGap();
  }

  private drawGap(): number {
    const { minDelayMs, maxDelayMs } = this.settings;
    const max = Math.max(minDelayMs, maxDelayMs);
    return Math.round(minDelayMs + this.random() * (max - minDelayMs));
  }
}
