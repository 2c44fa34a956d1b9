/**
 * Screenshot reading: a vision model describes an image of evidence for officers (platform,
 * account name, what the account did, visible text, date if shown) as structured output, validated
 * with zod. Only called when `AI_SEND_IMAGES=true`.
 */
import { z } from "zod";
import type { MachineDescription } from "../db/schema/evidence.js";
import { type LlmClient, LlmError } from "./llm.js";

const ACTIONS = ["posted", "liked", "shared", "commented", "followed", "other", "unknown"] as const;
const PLATFORMS = [
  "facebook",
  "instagram",
  "tiktok",
  "x",
  "youtube",
  "whatsapp",
  "telegram",
  "other",
  "unknown",
] as const;

/** The model's answer. */
export const ImageDescriptionSchema = z.strictObject({
  platform: z.enum(PLATFORMS),
  account_name: z.string().max(200).nullable(),
  action: z.enum(ACTIONS),
  visible_text: z.string().max(1000).nullable(),
  date_shown: z.string().max(100).nullable(),
});

/** Image types a vision model reads. */
export const READABLE_IMAGES = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);

/** Describes images with the vision model. */
export class ImageDescriber {
  constructor(
    private readonly llm: LlmClient,
    private readonly prompt: string,
  ) {}

  /** The description of one image; throws `LlmError` when the call fails or the answer is invalid. */
  async describe(bytes: Uint8Array, mime: string, now: Date): Promise<MachineDescription> {
    const raw = await this.llm.json({
      purpose: "image_description",
      name: "image_description",
      schema: ImageDescriptionSchema,
      system: this.prompt,
      user: [{ text: "Describe this evidence." }, { image: bytes, mime }],
      vision: true,
    });
    const d = ImageDescriptionSchema.safeParse(raw);
    if (!d.success) {
      throw new LlmError("image_description", "malformed", "the answer does not fit the schema");
    }
    return {
      platform: d.data.platform,
      accountName: d.data.account_name?.trim() || null,
      action: d.data.action,
      visibleText: d.data.visible_text?.trim().slice(0, 300) || null,
      dateShown: d.data.date_shown?.trim() || null,
      model: this.llm.settings.visionModel ?? this.llm.settings.model,
      at: now.toISOString(),
    };
  }
}
