import type { ConsoleUser } from "./auth.js";
import type { ConsoleLang, ConsoleTexts } from "./texts.js";

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** A piece of HTML that is already safe (built with {@link html} or {@link esc}). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated values are escaped unless they are {@link Html} (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === null || v === undefined || v === false) return "";
  return esc(v);
}

/** The time zone of an office's province: WIB, WITA or WIT. */
export function zoneOf(officeCode: string | null): { tz: string; name: string } {
  const p = Number((officeCode ?? "").slice(0, 2));
  if (p === 81 || p === 82 || p >= 91) return { tz: "Asia/Jayapura", name: "WIT" };
  if ([51, 52, 53, 63, 64, 65].includes(p) || (p >= 71 && p <= 76))
    return { tz: "Asia/Makassar", name: "WITA" };
  return { tz: "Asia/Jakarta", name: "WIB" };
}

/** A date and time in the office's zone, with the zone named ("3 Des 2026 19.05 WIB"). */
export function formatAt(d: Date, lang: ConsoleLang, officeCode: string | null): string {
  const z = zoneOf(officeCode);
  const s = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "id-ID", {
    timeZone: z.tz,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(d);
  return `${s} ${z.name}`;
}

/** The page frame: header with the office, navigation, language switch and sign-out; then the content. */
export function layout(
  texts: ConsoleTexts,
  user: ConsoleUser | undefined,
  title: string,
  content: Html,
  options: { active?: string; flash?: { ok: boolean; message: string } } = {},
): string {
  const lang = user?.lang ?? "id";
  const tx = (k: string, v?: Record<string, string>) => texts(lang, k, v);
  const nav = user
    ? html`<nav aria-label="${tx("title")}"><ul>
        ${(
          [
            ["reports", "/konsol"],
            ["deadlines", "/konsol/tenggat"],
            ["map", "/konsol/peta"],
            ["stats", "/konsol/statistik"],
          ] as const
        ).map(
          ([k, href]) =>
            html`<li><a href="${href}"${options.active === k ? new Html(' aria-current="page"') : ""}>${tx(`nav.${k}`)}</a></li>`,
        )}
      </ul>
      <form method="post" action="/konsol/bahasa"><input type="hidden" name="csrf" value="${user.csrf}"><input type="hidden" name="lang" value="${lang === "id" ? "en" : "id"}"><button type="submit" class="link" lang="${lang === "id" ? "en" : "id"}">${tx("lang_switch")}</button></form>
      <form method="post" action="/konsol/keluar"><input type="hidden" name="csrf" value="${user.csrf}"><button type="submit" class="link">${tx("nav.signout")}</button></form>
      </nav>
      <p class="who">${tx("signed_in_as", {
        who: user.officerName ?? (user.role === "officer" ? "" : tx(`roles.${user.role}`)),
        office: user.officeName,
      })}</p>`
    : "";
  return `<!doctype html>${html`<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${tx("title")}</title>
<link rel="stylesheet" href="/konsol/aset/console.css">
<script src="/konsol/aset/console.js" defer></script>
</head><body>
<a class="skip" href="#isi">${tx("skip")}</a>
<header><p class="brand"><a href="/konsol">${tx("title")}</a></p>${nav}</header>
<main id="isi">
${options.flash ? html`<p class="flash ${options.flash.ok ? "ok" : "err"}" role="status">${options.flash.message}</p>` : ""}
${content}
</main></body></html>`}`;
}
