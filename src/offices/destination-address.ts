import type { DestinationChannel } from "../db/schema/index.js";
import { InputError } from "../errors.js";

const RULES: Record<DestinationChannel, { pattern: RegExp; example: string }> = {
  telegram: { pattern: /^-?\d{1,20}$/, example: "a chat id such as -1001234567890" },
  whatsapp: {
    pattern: /^(\+?\d{8,15}|\d{8,15}@c\.us|\d{8,25}(-\d+)?@g\.us)$/,
    example: "a number such as 6281234567890, 6281234567890@c.us or a group id ending in @g.us",
  },
  webhook: { pattern: /^https?:\/\/[^\s]+$/, example: "an http(s) URL" },
  web: { pattern: /^[a-z0-9._-]{1,64}$/, example: "an inbox name such as 18.72 or admin" },
  wacloud: { pattern: /^\d{8,15}$/, example: "a WhatsApp number (wa_id) such as 6281234567890" },
};

/**
 * Checks a destination address for its channel and returns it trimmed. Throws {@link InputError}
 * (field "address") saying what a valid address looks like.
 */
export function validateDestinationAddress(channel: DestinationChannel, address: string): string {
  const rule = RULES[channel];
  const value = address.trim();
  if (!rule.pattern.test(value)) {
    throw new InputError(
      "address",
      `not a valid ${channel} destination: ${JSON.stringify(value.slice(0, 80))}; expected ${rule.example}`,
    );
  }
  return value;
}

/** Parses "telegram:123" / "web:admin" (the DEFAULT_ADMIN_DESTINATION form) into channel and address. */
export function parseDestinationSpec(spec: string): { channel: DestinationChannel; address: string } {
  const i = spec.indexOf(":");
  const channel = spec.slice(0, i) as DestinationChannel;
  if (i < 0 || !(channel in RULES)) {
    throw new InputError(
      "destination",
      `expected <channel>:<address> with channel one of ${Object.keys(RULES).join(", ")}`,
    );
  }
  return { channel, address: validateDestinationAddress(channel, spec.slice(i + 1)) };
}
