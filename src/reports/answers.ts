import { z } from "zod";
import type { Answers } from "../engine/types.js";
import { InputError } from "../errors.js";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const phone = z.object({ e164: z.string(), display: z.string() });
const noneable = <T extends z.ZodType>(t: T) => t.nullish();

/**
 * The answers of a completed complaint flow, as the report needs them. Validated, so a flow edit
 * that renames a `store` key fails loudly at submit (and in tests) instead of saving half a report.
 */
export const ComplaintAnswers = z.object({
  track: z.enum(["tip", "formal"]),
  category: z.string().min(1),
  account: z.string().min(1),
  event_date: noneable(date),
  learned_date: noneable(date),
  place: noneable(
    z.object({
      source: z.enum(["gps", "text"]),
      raw: z.string().optional(),
      lat: z.number().optional(),
      lon: z.number().optional(),
      regencyCode: z.string().nullable(),
      regencyName: z.string().nullable(),
      provinceCode: z.string(),
      provinceName: z.string(),
    }),
  ),
  accused_name: noneable(z.string()),
  accused_position: noneable(z.string()),
  accused_agency: noneable(z.object({ raw: z.string(), normalized: z.string(), kind: z.string() })),
  asn_type: noneable(z.string()),
  evidence: noneable(
    z.object({
      items: z.array(
        z.object({
          ref: z.string(),
          kind: z.enum(["photo", "video", "document", "audio"]),
          mime: z.string(),
          size: z.number(),
          sha256: z.string(),
          fileName: z.string().optional(),
          caption: z.string().optional(),
          receivedAt: z.string().optional(),
          messageId: z.string().optional(),
        }),
      ),
      links: z.array(z.object({ url: z.string(), platform: z.string() })),
      none: z.boolean(),
    }),
  ),
  has_witness: noneable(z.boolean()),
  witness1_name: noneable(z.string()),
  witness1_phone: noneable(phone),
  has_witness2: noneable(z.boolean()),
  witness2_name: noneable(z.string()),
  witness2_phone: noneable(phone),
  consent: noneable(z.boolean()),
  reporter_name: noneable(z.string()),
  reporter_address: noneable(z.string()),
  reporter_phone: noneable(phone),
});
export type ComplaintAnswers = z.infer<typeof ComplaintAnswers>;

/** Validates a session's answers for saving; throws {@link InputError} naming the first bad key. */
export function parseComplaintAnswers(answers: Answers): ComplaintAnswers {
  const r = ComplaintAnswers.safeParse(answers);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(
      `answers.${i.path.join(".")}`,
      `complaint answers are not as the report expects: ${i.path.join(".")}: ${i.message}`,
    );
  }
  const a = r.data;
  if (
    a.track === "formal" &&
    !(a.reporter_name && a.reporter_address && a.reporter_phone && a.consent === true)
  ) {
    throw new InputError(
      "answers.reporter",
      "a formal report needs the reporter's name, address, phone and consent",
    );
  }
  return a;
}
