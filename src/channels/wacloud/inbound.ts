import type { Inbound, MediaItem } from "../../engine/types.js";
import type { EvidenceStore } from "../../reports/evidence-store.js";
import { cleanInbound } from "../clean-inbound.js";
import { MediaIntake } from "../media-intake.js";
import type { MediaPolicy } from "../types.js";
import type { MediaInfo } from "./graph-api.js";
import type { WaMediaRef, WaMessage } from "./payload.js";

/** What is needed to turn a Cloud API message into engine input. */
export interface WaCloudIntake {
  policy: MediaPolicy;
  store: EvidenceStore;
  /** `GET /{media-id}`. */
  mediaInfo(mediaId: string): Promise<MediaInfo>;
  /** Downloads the bytes behind a media URL. */
  download(url: string): Promise<Uint8Array>;
}

const MEDIA_KINDS: Record<string, MediaItem["kind"]> = {
  image: "photo",
  video: "video",
  audio: "audio",
};

/** A typed "/command args" text as a command input, like a Telegram bot command. */
function commandOf(text: string): Inbound | undefined {
  const m = /^\/([A-Za-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { kind: "command", name: m[1]!.toLowerCase(), args: (m[2] ?? "").trim() } : undefined;
}

/**
 * Turns an inbound Cloud API message into engine input: text (a leading "/" is a command), the id
 * of a pressed reply button or list row as a choice, a location, or a file. Files are looked up by
 * media id, checked against the policy (size and type, before download when the Graph API says
 * them), downloaded with the token and stored with their SHA-256; a file that cannot be taken
 * becomes `media_rejected`, so the flow explains and continues. Texts are cleaned
 * ({@link cleanInbound}) and files go through the one media intake (real type from the bytes).
 */
export async function waMessageToInbound(message: WaMessage, intake: WaCloudIntake): Promise<Inbound> {
  return cleanInbound(await readMessage(message, intake));
}

async function readMessage(message: WaMessage, intake: WaCloudIntake): Promise<Inbound> {
  switch (message.type) {
    case "text": {
      const body = message.text?.body ?? "";
      return commandOf(body) ?? { kind: "text", text: body };
    }
    case "interactive": {
      const id = message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id;
      return id ? { kind: "choice", value: id } : { kind: "unsupported", what: "other" };
    }
    case "button": {
      const text = message.button?.text ?? message.button?.payload;
      return text ? { kind: "text", text } : { kind: "unsupported", what: "other" };
    }
    case "location": {
      const loc = message.location;
      return loc
        ? { kind: "location", lat: loc.latitude, lon: loc.longitude }
        : { kind: "unsupported", what: "other" };
    }
    case "sticker":
      return { kind: "unsupported", what: "sticker" };
    case "contacts":
      return { kind: "unsupported", what: "contact" };
    case "image":
    case "video":
    case "audio":
    case "document": {
      const ref = message[message.type] as WaMediaRef | undefined;
      if (!ref?.id) return { kind: "unsupported", what: "other" };
      return fetchMedia(message, ref, intake);
    }
    default:
      return { kind: "unsupported", what: "other" };
  }
}

function fetchMedia(message: WaMessage, ref: WaMediaRef, intake: WaCloudIntake): Promise<Inbound> {
  let url: string | undefined;
  return new MediaIntake(intake.policy, intake.store).take({
    ...(MEDIA_KINDS[message.type] ? { kind: MEDIA_KINDS[message.type] } : {}),
    declaredMime: ref.mime_type,
    fileName: ref.filename,
    caption: ref.caption,
    messageId: message.id,
    receivedAt: new Date(Number(message.timestamp) * 1000 || Date.now()),
    // GET /{media-id} tells the URL, the type and the size: both are checked before the bytes come.
    describe: async () => {
      const info: MediaInfo = await intake.mediaInfo(ref.id);
      url = info.url;
      return {
        declaredMime: info.mime_type,
        declaredSize: typeof info.file_size === "number" ? info.file_size : undefined,
      };
    },
    download: () => (url ? intake.download(url) : Promise.resolve(undefined)),
  });
}
