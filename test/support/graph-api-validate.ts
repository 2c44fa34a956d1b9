/**
 * The Cloud API's rules for outgoing message payloads (`POST /{version}/{phone-number-id}/messages`),
 * as Meta documents them: required fields, text lengths, button and row counts, unique ids and
 * titles. Used by the Graph API stand-in (which refuses what Meta would refuse) and by the golden
 * renderer test. Returns the problems found; empty when the payload is valid.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === "string";

function text(problems: string[], path: string, v: unknown, max: number, required = true): void {
  if (v === undefined && !required) return;
  if (!str(v)) problems.push(`${path} is required (a string)`);
  else if (v.length === 0) problems.push(`${path} must not be empty`);
  else if (v.length > max) problems.push(`${path} is ${v.length} characters, more than ${max}`);
}

function unique(problems: string[], path: string, values: unknown[]): void {
  if (new Set(values).size !== values.length) problems.push(`${path} must be unique`);
}

/** Problems of an `interactive` object. */
function interactive(problems: string[], i: unknown): void {
  if (!isObj(i)) return void problems.push("interactive is required");
  const body = isObj(i.body) ? i.body.text : undefined;
  const action = isObj(i.action) ? i.action : undefined;
  if (!action) problems.push("interactive.action is required");
  switch (i.type) {
    case "button": {
      text(problems, "interactive.body.text", body, 1024);
      const buttons = action?.buttons;
      if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
        problems.push("interactive.action.buttons must have 1 to 3 buttons");
        return;
      }
      for (const [n, b] of buttons.entries()) {
        const reply = isObj(b) ? b.reply : undefined;
        if (!isObj(b) || b.type !== "reply" || !isObj(reply)) {
          problems.push(`buttons[${n}] must be {type:"reply", reply:{id,title}}`);
          continue;
        }
        text(problems, `buttons[${n}].reply.id`, reply.id, 256);
        text(problems, `buttons[${n}].reply.title`, reply.title, 20);
      }
      unique(
        problems,
        "button ids",
        buttons.map((b) => (b as { reply: Obj }).reply?.id),
      );
      unique(
        problems,
        "button titles",
        buttons.map((b) => (b as { reply: Obj }).reply?.title),
      );
      return;
    }
    case "list": {
      text(problems, "interactive.body.text", body, 4096);
      text(problems, "interactive.action.button", action?.button, 20);
      const sections = action?.sections;
      if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10)
        return void problems.push("interactive.action.sections must have 1 to 10 sections");
      const rows: Obj[] = [];
      for (const [n, s] of sections.entries()) {
        if (!isObj(s) || !Array.isArray(s.rows) || s.rows.length === 0) {
          problems.push(`sections[${n}].rows must have at least one row`);
          continue;
        }
        text(problems, `sections[${n}].title`, s.title, 24, sections.length > 1);
        rows.push(...(s.rows as Obj[]));
      }
      if (rows.length > 10) problems.push(`a list has ${rows.length} rows, more than 10`);
      rows.forEach((r, n) => {
        text(problems, `rows[${n}].id`, r.id, 200);
        text(problems, `rows[${n}].title`, r.title, 24);
        text(problems, `rows[${n}].description`, r.description, 72, false);
      });
      unique(
        problems,
        "row ids",
        rows.map((r) => r.id),
      );
      return;
    }
    case "location_request_message":
      text(problems, "interactive.body.text", body, 1024);
      if (action?.name !== "send_location") problems.push('interactive.action.name must be "send_location"');
      return;
    default:
      problems.push(`interactive.type ${JSON.stringify(i.type)} is not supported`);
  }
}

/** Validates one outgoing message payload like the Cloud API does. */
export function validateCloudPayload(payload: unknown, uploaded?: (id: string) => boolean): string[] {
  const problems: string[] = [];
  if (!isObj(payload)) return ["the body must be a JSON object"];
  if (payload.messaging_product !== "whatsapp") problems.push('messaging_product must be "whatsapp"');
  if (!str(payload.to) || !/^\+?\d{6,20}$/.test(payload.to)) problems.push("to must be a phone number");
  const type = String(payload.type ?? "text");
  switch (type) {
    case "text": {
      const t = payload.text;
      text(problems, "text.body", isObj(t) ? t.body : undefined, 4096);
      break;
    }
    case "interactive":
      interactive(problems, payload.interactive);
      break;
    case "location": {
      const l = payload.location;
      if (!isObj(l) || typeof l.latitude !== "number" || typeof l.longitude !== "number")
        problems.push("location.latitude and location.longitude are required numbers");
      break;
    }
    case "image":
    case "document":
    case "video":
    case "audio": {
      const m = payload[type];
      if (!isObj(m) || (!str(m.id) && !str(m.link))) {
        problems.push(`${type}.id or ${type}.link is required`);
        break;
      }
      if (str(m.id) && uploaded && !uploaded(m.id))
        problems.push(`${type}.id ${m.id} is not an uploaded media id`);
      if (type === "audio" && m.caption !== undefined) problems.push("audio cannot have a caption");
      text(problems, `${type}.caption`, m.caption, 1024, false);
      if (type === "document") text(problems, "document.filename", m.filename, 240, false);
      break;
    }
    case "template": {
      const t = payload.template;
      if (!isObj(t)) {
        problems.push("template is required");
        break;
      }
      text(problems, "template.name", t.name, 512);
      text(problems, "template.language.code", isObj(t.language) ? t.language.code : undefined, 10);
      for (const c of Array.isArray(t.components) ? t.components : []) {
        for (const p of isObj(c) && Array.isArray(c.parameters) ? c.parameters : []) {
          const value = isObj(p) ? p.text : undefined;
          text(problems, "template parameter text", value, 1024);
          if (str(value) && /[\n\t]| {5,}/.test(value))
            problems.push("template parameter text cannot have new lines, tabs or more than 4 spaces");
        }
      }
      break;
    }
    default:
      problems.push(`type ${JSON.stringify(type)} is not supported`);
  }
  return problems;
}
