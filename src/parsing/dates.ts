/**
 * Dates as citizens type them ("kemarin", "senin lalu", "12/11", "12 Nopember 2024", "3 days ago"),
 * interpreted on the calendar of Asia/Jakarta (WIB, UTC+7, no daylight saving time).
 *
 * Everything here is pure: "now" is always a parameter, never the system clock. A calendar date is
 * carried as a {@link LocalDate} string "YYYY-MM-DD" with no time and no zone.
 */

/**
 * A calendar date in Jakarta, "YYYY-MM-DD".
 *
 * @example
 * const votingDay: LocalDate = "2024-11-27";
 */
export type LocalDate = string;

/**
 * The result of {@link parseLocalDate}. `approximate` is true for phrases that name a period rather
 * than a day ("minggu lalu", "awal bulan", "2 bulan lalu"): the date is a best guess to confirm.
 *
 * @example
 * const r: DateParse = { ok: true, date: "2024-11-19", approximate: false };
 */
export type DateParse =
  | { ok: true; date: LocalDate; approximate: boolean }
  | { ok: false; reason: "empty" | "unparseable" | "future" | "invalid_date" | "too_old" }
  /**
   * A day and month without a year that has not come yet this year ("15 desember" on 4 December):
   * `date` is this year's, still to come; `suggestion` the same day last year, to offer ("did you
   * mean …?") rather than assume.
   */
  | { ok: false; reason: "not_yet"; date: LocalDate; suggestion: LocalDate };

const DAY_MS = 86_400_000;
/** Longer answers are not a date (and would only slow the patterns down). */
const MAX_INPUT_LENGTH = 200;
const JAKARTA_OFFSET_MS = 7 * 3_600_000;
const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic
// ---------------------------------------------------------------------------------------------

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
}

function isValidYmd({ y, m, d }: Ymd): boolean {
  return Number.isInteger(y) && y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function toLocal({ y, m, d }: Ymd): LocalDate {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function fromLocal(date: LocalDate): Ymd {
  const match = LOCAL_DATE_RE.exec(date);
  const ymd = match ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) } : undefined;
  if (!ymd || !isValidYmd(ymd)) throw new RangeError(`not a valid LocalDate (YYYY-MM-DD): ${date}`);
  return ymd;
}

function toEpochDay(date: LocalDate): number {
  const { y, m, d } = fromLocal(date);
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / DAY_MS);
}

function fromEpochDay(day: number): LocalDate {
  const t = new Date(day * DAY_MS);
  return toLocal({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/**
 * Day of the week of a local date: 0 = Sunday (Minggu) … 6 = Saturday (Sabtu), as `Date#getDay`.
 *
 * @example
 * weekday("2024-11-20"); // 3 (Wednesday / Rabu)
 */
export function weekday(date: LocalDate): number {
  // 1970-01-01 (epoch day 0) was a Thursday (4).
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/**
 * The calendar date in Jakarta (UTC+7) at the instant `now`. Throws RangeError for an invalid Date.
 *
 * @example
 * jakartaToday(new Date("2024-11-20T18:30:00Z")); // "2024-11-21" (01:30 WIB)
 */
export function jakartaToday(now: Date): LocalDate {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  return fromEpochDay(Math.floor((ms + JAKARTA_OFFSET_MS) / DAY_MS));
}

/** The hour of the day (0–23) in Jakarta at the instant `now`. */
function jakartaHour(now: Date): number {
  return new Date(now.getTime() + JAKARTA_OFFSET_MS).getUTCHours();
}

/**
 * `d` moved by `n` calendar days (negative goes back). Throws RangeError for a malformed date.
 *
 * @example
 * addDays("2024-11-28", 3); // "2024-12-01"
 */
export function addDays(d: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromEpochDay(toEpochDay(d) + n);
}

/**
 * Whole calendar days from `a` to `b`: positive when `b` is later.
 *
 * @example
 * daysBetween("2024-11-12", "2024-11-20"); // 8
 */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** `date` moved by whole months, the day clamped to the end of the target month (31 Mar − 1 → 29 Feb). */
function addMonths(date: LocalDate, months: number): LocalDate {
  const { y, m, d } = fromLocal(date);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return toLocal({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

const DAY_NAMES = {
  id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
} as const;
const MONTH_NAMES = {
  id: [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
  ],
  en: [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ],
} as const;

/**
 * A local date written out for people, with the day of the week.
 *
 * @example
 * formatLocalDate("2024-11-12", "id"); // "Selasa, 12 November 2024"
 * formatLocalDate("2024-11-12", "en"); // "Tuesday, 12 November 2024"
 */
export function formatLocalDate(d: LocalDate, lang: "id" | "en"): string {
  const { y, m, d: day } = fromLocal(d);
  return `${DAY_NAMES[lang][weekday(d)]}, ${day} ${MONTH_NAMES[lang][m - 1]} ${y}`;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** Month names and abbreviations in Indonesian (including old spellings) and English → 1–12. */
// biome-ignore format: one month per line reads better
const MONTHS: Readonly<Record<string, number>> = {
  januari: 1, jan: 1, january: 1,
  februari: 2, pebruari: 2, febuari: 2, feb: 2, peb: 2, pebr: 2, febr: 2, february: 2,
  maret: 3, mar: 3, mrt: 3, march: 3,
  april: 4, apr: 4,
  mei: 5, may: 5,
  juni: 6, jun: 6, june: 6,
  juli: 7, jul: 7, july: 7,
  agustus: 8, agt: 8, agu: 8, ags: 8, agst: 8, agus: 8, aug: 8, august: 8,
  september: 9, sep: 9, sept: 9, sepr: 9,
  oktober: 10, okt: 10, oct: 10, october: 10,
  november: 11, nopember: 11, nov: 11, nop: 11,
  desember: 12, des: 12, dec: 12, december: 12,
};

/** Day names (Indonesian, English, common spellings) → 0 = Sunday … 6 = Saturday. */
// biome-ignore format: one day per line reads better
const WEEKDAYS: Readonly<Record<string, number>> = {
  minggu: 0, ahad: 0, sunday: 0, sun: 0,
  senin: 1, monday: 1, mon: 1,
  selasa: 2, tuesday: 2, tue: 2, tues: 2,
  rabu: 3, wednesday: 3, wed: 3,
  kamis: 4, thursday: 4, thu: 4, thur: 4, thurs: 4,
  jumat: 5, "jum'at": 5, jumaat: 5, "jum at": 5, friday: 5, fri: 5,
  sabtu: 6, saturday: 6, sat: 6,
};

/** Small numbers written as words, Indonesian and English. */
// biome-ignore format: a table
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9, sepuluh: 10,
  sebelas: 11, a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8,
  nine: 9, ten: 10, eleven: 11, twelve: 12,
};

/** Units of "N … lalu": how to step back, and whether the result is only approximate. */
// biome-ignore format: a table
const UNITS: Readonly<Record<string, { days?: number; months?: number }>> = {
  hari: { days: 1 }, hr: { days: 1 }, day: { days: 1 }, days: { days: 1 },
  minggu: { days: 7 }, mgg: { days: 7 }, pekan: { days: 7 }, week: { days: 7 }, weeks: { days: 7 },
  bulan: { months: 1 }, bln: { months: 1 }, month: { months: 1 }, months: { months: 1 },
  tahun: { months: 12 }, thn: { months: 12 }, year: { months: 12 }, years: { months: 12 },
};

const DAY_ALT = Object.keys(WEEKDAYS)
  .sort((a, b) => b.length - a.length)
  .join("|");
const UNIT_ALT = Object.keys(UNITS).join("|");
const NUMBER_ALT = `\\d{1,4}|${Object.keys(NUMBER_WORDS).join("|")}`;
/** Words that mean "ago" / "past" after a day name or a count. */
const AGO = "(?:yang|yg)\\s+(?:lalu|lewat|silam)|lalu|kemarin|kemaren|kmrn|kmaren|ago|sebelumnya|lewat|silam";
const FUTURE = "depan|lagi|besok|mendatang|yang akan datang|ke ?depan|from now|later";

// biome-ignore format: a list
const TODAY_WORDS = new Set([
  "hari ini", "tadi", "td", "sekarang", "skrg", "skrng", "skr", "barusan", "baru saja", "baru aja", "pagi ini",
  "siang ini", "sore ini", "malam ini", "today", "now", "just now", "this morning", "this afternoon",
  "this evening", "tonight", "hr ini", "hri ini",
]);
// biome-ignore format: a list
const YESTERDAY_WORDS = new Set([
  "kemarin", "kemaren", "kmrn", "kmarin", "kmren", "kmaren", "kemarn", "kemrin", "kemarin hari", "yesterday",
]);
// biome-ignore format: a list
const TWO_DAYS_AGO_WORDS = new Set([
  "kemarin lusa", "kemaren lusa", "kmrn lusa", "lusa kemarin", "the day before yesterday", "day before yesterday",
]);
const LAST_NIGHT_WORDS = new Set(["tadi malam", "td malam", "semalam", "last night"]);
// biome-ignore format: a list
const FUTURE_WORDS = new Set([
  "besok", "bsk", "besuk", "lusa", "besok lusa", "tomorrow", "the day after tomorrow", "nanti", "minggu depan",
  "pekan depan", "bulan depan", "tahun depan", "next week", "next month", "next year",
]);
/** "Last week" as a period: 7 days back, approximate. ("minggu kemarin" is read as "last week", not "last Sunday".) */
// biome-ignore format: a list
const LAST_WEEK_WORDS = new Set([
  "minggu lalu", "minggu yang lalu", "minggu yg lalu", "minggu kemarin", "minggu kemaren", "minggu kmrn",
  "pekan lalu", "pekan kemarin", "pekan yang lalu", "pekan yg lalu", "last week", "mgg lalu",
]);
const LAST_MONTH_WORDS = new Set([
  "bulan lalu",
  "bulan kemarin",
  "bulan yang lalu",
  "bulan yg lalu",
  "last month",
]);
const LAST_YEAR_WORDS = new Set([
  "tahun lalu",
  "tahun kemarin",
  "tahun yang lalu",
  "tahun yg lalu",
  "last year",
]);

/** Filler at the start of an answer: "sekitar", "kira-kira", "tanggal", "tgl", "pada", … */
const LEADING_FILLER =
  /^(?:sekitar|sekitaran|sktr|kira-kira|kira kira|kira2|kurang lebih|kurleb|kl|tanggal|tanggalnya|tangal|tgl|pada|pd|waktu|waktunya|kejadian|kejadiannya|kejadian pada|terjadi|tepatnya|tepat|yaitu|yakni|mungkin|kalau tidak salah|kalau gak salah|kalo gak salah|kalo ga salah|seingat saya|on|at|around|about|approximately|approx|maybe|probably|the|date)(?:\s+|$)/;
/** Filler and times of day at the end: "sekitar", "jam 10", "pukul 14.00 WIB", "pagi", … */
const TRAILING_FILLER = [
  /\s+(?:sekitar|kira-kira|kira kira|kira2|kurang lebih|kurleb|an|lah|ya|yah|sih|deh|kok|jg|juga|aja|saja|pak|bu|kak|min|kayaknya|sepertinya|mungkin|kalau tidak salah|kalau gak salah|kalo gak salah|kalo ga salah|seingat saya|or so|maybe|probably|i think)$/,
  /\s+(?:sekitar\s+)?(?:jam|pukul|pkl|at|around)\s*\d{1,2}(?:[.:]\d{2})?(?:\s*(?:wib|wita|wit|am|pm))?(?:\s+(?:pagi|siang|sore|malam))?$/,
  /\s+\d{1,2}:\d{2}(?:\s*(?:wib|wita|wit|am|pm))?$/,
  /\s+(?:pagi|siang|sore|malam|subuh|petang|dini hari|morning|afternoon|evening|night)$/,
];

function clean(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019`\u00b4]/g, "'")
    .replace(/[,;]/g, " ")
    .replace(/\btgl\.\s*/g, "tgl ")
    .replace(/[()[\]{}"\u201c\u201d]/g, " ")
    .replace(/:(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s']+|[\s'.!?]+$/g, "")
    .trim();
}

function stripFillers(s: string): string {
  let previous = "";
  let current = s;
  while (current !== previous) {
    previous = current;
    current = current.replace(LEADING_FILLER, "").trim();
    for (const re of TRAILING_FILLER) current = current.replace(re, "").trim();
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

type Interim =
  | { kind: "date"; date: LocalDate; approximate: boolean }
  | { kind: "fail"; reason: "unparseable" | "future" | "invalid_date" }
  | { kind: "not_yet"; date: LocalDate; suggestion: LocalDate };

const ok = (date: LocalDate, approximate = false): Interim => ({ kind: "date", date, approximate });
const fail = (reason: "unparseable" | "future" | "invalid_date"): Interim => ({ kind: "fail", reason });

function dated(ymd: Ymd): Interim {
  return isValidYmd(ymd) ? ok(toLocal(ymd)) : fail("invalid_date");
}

function numberValue(token: string): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS[token];
}

/** Most recent date on or before `today` (or strictly before, if `strict`) falling on `dow`. */
function mostRecentWeekday(today: LocalDate, dow: number, strict: boolean): LocalDate {
  let back = (weekday(today) - dow + 7) % 7;
  if (back === 0 && strict) back = 7;
  return addDays(today, -back);
}

/** Monday of the week (Monday–Sunday) containing `date`. */
function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

function twoDigitYear(yy: number, today: Ymd): number {
  const y = 2000 + yy;
  return y > today.y + 20 ? y - 100 : y;
}

/** An absolute date: "2024-11-12", "12/11/2024", "12/11", "12 Nov 2024", "November 12", "12". */
function parseAbsolute(s: string, todayDate: LocalDate): Interim {
  const today = fromLocal(todayDate);
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (m) return dated({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) });

  m = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$/.exec(s);
  if (m) {
    const y = m[3]!.length === 2 ? twoDigitYear(Number(m[3]), today) : Number(m[3]);
    return dated({ y, m: Number(m[2]), d: Number(m[1]) });
  }

  m = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})$/.exec(s);
  if (m) return dayMonthInferYear(Number(m[1]), Number(m[2]), today);

  // 12 nov 2024, 12-nov-24, 12nov, 12th of November 2024
  m = /^(\d{1,2})(?:st|nd|rd|th)?(?:\s*of)?[\s\-/.]*([a-z]+)\.?(?:[\s\-/.]*(\d{4}|\d{2}))?$/.exec(s);
  if (m) {
    const month = MONTHS[m[2]!];
    if (month === undefined) return fail("unparseable");
    if (m[3] === undefined) return dayMonthInferYear(Number(m[1]), month, today);
    const y = m[3].length === 2 ? twoDigitYear(Number(m[3]), today) : Number(m[3]);
    return dated({ y, m: month, d: Number(m[1]) });
  }

  // November 12, 2024 / nov 12
  m = /^([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:\s+(\d{4}))?$/.exec(s);
  if (m) {
    const month = MONTHS[m[1]!];
    if (month === undefined) return fail("unparseable");
    if (m[3] === undefined) return dayMonthInferYear(Number(m[2]), month, today);
    return dated({ y: Number(m[3]), m: month, d: Number(m[2]) });
  }

  // A day of the month alone: this month, or last month if that day has not come yet.
  m = /^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?$/.exec(s);
  if (m) {
    const d = Number(m[1]);
    if (d <= today.d) return dated({ y: today.y, m: today.m, d });
    const prev = today.m === 1 ? { y: today.y - 1, m: 12 } : { y: today.y, m: today.m - 1 };
    return dated({ ...prev, d });
  }
  return fail("unparseable");
}

/**
 * How far back the same day last year may lie to be taken without asking: across the year end
 * ("12/12" typed on 3 January) it is plainly meant; further back it is a guess.
 */
const LAST_YEAR_SILENT_DAYS = 60;

/**
 * Day and month without a year: this year when that day has come. When it is still to come, the
 * same day last year is taken when it is recent (across the year end); otherwise it is only a guess
 * (on 4 December, "15 desember" is more likely a slip than a year-old event), so it is offered, not
 * assumed ("not_yet").
 */
function dayMonthInferYear(d: number, month: number, today: Ymd): Interim {
  const future = month > today.m || (month === today.m && d > today.d);
  if (!future) return dated({ y: today.y, m: month, d });
  const thisYear = { y: today.y, m: month, d };
  const lastYear = { y: today.y - 1, m: month, d };
  if (!isValidYmd(lastYear)) return isValidYmd(thisYear) ? fail("future") : fail("invalid_date");
  if (daysBetween(toLocal(lastYear), toLocal(today)) <= LAST_YEAR_SILENT_DAYS) return ok(toLocal(lastYear));
  // 29 February of a year that has none this year: still offer last year's when it exists.
  return {
    kind: "not_yet",
    date: isValidYmd(thisYear) ? toLocal(thisYear) : toLocal(lastYear),
    suggestion: toLocal(lastYear),
  };
}

/** Phrases relative to today: "kemarin", "3 hari lalu", "senin lalu", "awal bulan", … */
function parseRelative(s: string, today: LocalDate, hour: number): Interim | undefined {
  if (TODAY_WORDS.has(s)) return ok(today);
  if (YESTERDAY_WORDS.has(s)) return ok(addDays(today, -1));
  if (TWO_DAYS_AGO_WORDS.has(s)) return ok(addDays(today, -2));
  if (FUTURE_WORDS.has(s)) return fail("future");
  if (LAST_WEEK_WORDS.has(s)) return ok(addDays(today, -7), true);
  if (LAST_MONTH_WORDS.has(s)) return ok(addMonths(today, -1), true);
  if (LAST_YEAR_WORDS.has(s)) return ok(addMonths(today, -12), true);
  // "minggu ini" is "this week", not "this Sunday": too vague to pick a day.
  if (/^(?:minggu|pekan|bulan|tahun) ini$|^this (?:week|month|year)$/.test(s)) return fail("unparseable");

  // "2 hari lalu", "dua hari yang lalu", "seminggu lalu", "3 days ago", "a week ago"
  let m = new RegExp(`^(?:se(${UNIT_ALT})|(${NUMBER_ALT})\\s*(${UNIT_ALT}))\\s+(?:${AGO})$`).exec(s);
  if (m) {
    const unit = UNITS[(m[1] ?? m[3])!]!;
    const n = m[1] !== undefined ? 1 : numberValue(m[2]!);
    if (n === undefined) return undefined;
    if (unit.months !== undefined) return ok(addMonths(today, -n * unit.months), true);
    return ok(addDays(today, -n * unit.days!));
  }
  // "2 hari lagi", "seminggu ke depan", "in 3 days"
  const count = `(?:se(?:${UNIT_ALT})|(?:${NUMBER_ALT})\\s*(?:${UNIT_ALT}))`;
  if (new RegExp(`^in\\s+${count}$|^${count}\\s+(?:${FUTURE})$`).test(s)) return fail("future");

  // "senin minggu lalu", "monday last week": that day in the previous Monday–Sunday week.
  m = new RegExp(
    `^(?:hari\\s+)?(${DAY_ALT})\\s+(?:minggu|pekan)\\s+(?:${AGO})$|^(${DAY_ALT})\\s+last\\s+week$`,
  ).exec(s);
  if (m) {
    const dow = WEEKDAYS[(m[1] ?? m[2])!]!;
    return ok(addDays(mondayOf(today), -7 + ((dow + 6) % 7)));
  }
  // "senin depan", "next monday"
  if (new RegExp(`^(?:hari\\s+)?(?:${DAY_ALT})\\s+(?:depan|besok)$|^next\\s+(?:${DAY_ALT})$`).test(s)) {
    return fail("future");
  }
  // "senin lalu", "senin kemarin", "last monday": strictly before today.
  m = new RegExp(`^(?:hari\\s+)?(${DAY_ALT})\\s+(?:${AGO})$|^(?:last|past|this past)\\s+(${DAY_ALT})$`).exec(
    s,
  );
  if (m) return ok(mostRecentWeekday(today, WEEKDAYS[(m[1] ?? m[2])!]!, true));
  // "senin", "hari senin", "on monday", "senin ini": today if today is that day.
  m = new RegExp(`^(?:hari\\s+|on\\s+)?(${DAY_ALT})(?:\\s+(?:ini|kemarin ini|this week))?$`).exec(s);
  if (m) return ok(mostRecentWeekday(today, WEEKDAYS[m[1]!]!, false));

  // "tadi malam", "semalam": last night is yesterday until 18:00, then this evening.
  if (LAST_NIGHT_WORDS.has(s)) return ok(hour >= 18 ? today : addDays(today, -1));

  // "awal bulan", "pertengahan bulan lalu", "akhir bulan kemarin"
  m = new RegExp(
    `^(awal|permulaan|pertengahan|tengah|akhir|early|mid|end of|late)\\s*-?\\s*(?:bulan|month)(?:\\s+(ini|${AGO}))?$`,
  ).exec(s);
  if (m) {
    const base = m[2] === undefined || m[2] === "ini" ? today : addMonths(today, -1);
    const { y, m: month } = fromLocal(base);
    const part = m[1]!;
    const d = ["awal", "permulaan", "early"].includes(part)
      ? 1
      : ["akhir", "end of", "late"].includes(part)
        ? daysInMonth(y, month)
        : 15;
    return ok(toLocal({ y, m: month, d }), true);
  }
  // "awal minggu ini", "awal pekan lalu", "akhir pekan lalu", "last weekend"
  m = new RegExp(`^(awal|akhir)\\s+(?:minggu|pekan)(?:\\s+(ini|${AGO}))?$`).exec(s);
  if (m || s === "last weekend" || s === "weekend kemarin" || s === "weekend lalu") {
    const lastWeek = !m || (m[2] !== undefined && m[2] !== "ini");
    const monday = addDays(mondayOf(today), lastWeek ? -7 : 0);
    return ok(addDays(monday, m?.[1] === "awal" ? 0 : 5), true);
  }
  return undefined;
}

/** A day name in front of or behind a date ("Minggu, 10 November 2024"): the date wins. */
function stripDayName(s: string): string | undefined {
  let m = new RegExp(`^(?:hari\\s+)?(?:${DAY_ALT})\\s+(.*\\d.*)$`).exec(s);
  if (m) return m[1];
  m = new RegExp(`^(.*\\d.*?)\\s+(?:hari\\s+)?(?:${DAY_ALT})$`).exec(s);
  return m?.[1];
}

/**
 * Reads a date the way a citizen types it, in Indonesian or English, relative to `now` in Jakarta.
 *
 * - Relative: "hari ini", "tadi pagi", "kemarin"/"kmrn", "kemarin lusa", "2 hari (yang) lalu",
 *   "dua hari lalu", "seminggu lalu" (exactly 7 days), "minggu lalu" (7 days, approximate),
 *   "3 days ago", "senin lalu"/"last monday" (strictly before today), "senin"/"hari senin" (today if
 *   today is Monday), "senin minggu lalu" (Monday of the previous week), "awal bulan" (approximate).
 * - Absolute, day before month: "12/11", "12-11-2024", "12/11/24", "12.11.2024", "2024-11-12",
 *   "12 Nov 2024", "12 Nopember", "November 12, 2024", "tgl 12 nov", "12" (day of this month).
 *   Without a year the date is in the current year; when that day is still to come this year the
 *   answer is "not_yet" with last year's date as a suggestion to confirm; a lone day is in this month, or the previous month if it would be in the future.
 *   Two-digit years are 20yy (19yy if that is more than 20 years ahead).
 * - Fillers are ignored: "sekitar", "kira-kira", "tanggal", "tgl", "pada", "jam 10", "sore".
 *   "tgl 10an" ("around the 10th") is the 10th, approximate.
 *
 * Refuses: empty text ("empty"), dates after today ("future", also "besok", "lusa"), impossible
 * dates like "31/02" ("invalid_date"), dates more than `maxAgeDays` (default 3650) before today
 * ("too_old"), anything else, including text over 200 characters ("unparseable").
 *
 * @example
 * const now = new Date("2024-11-20T03:00:00Z"); // Wednesday 20 Nov 2024, 10:00 WIB
 * parseLocalDate("kemarin", now);      // { ok: true, date: "2024-11-19", approximate: false }
 * parseLocalDate("senin lalu", now);   // { ok: true, date: "2024-11-18", approximate: false }
 * parseLocalDate("25/11", now);        // { ok: false, reason: "not_yet", date: "2024-11-25", suggestion: "2023-11-25" }
 * parseLocalDate("lusa", now);         // { ok: false, reason: "future" }
 */
export function parseLocalDate(text: string, now: Date, options?: { maxAgeDays?: number }): DateParse {
  const today = jakartaToday(now);
  const maxAgeDays = options?.maxAgeDays ?? 3650;
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, reason: "unparseable" };
  const cleaned = clean(text);
  if (cleaned === "") return { ok: false, reason: "empty" };

  const hour = jakartaHour(now);
  let result = parseRelative(cleaned, today, hour);
  if (!result) {
    let s = stripFillers(cleaned);
    if (s === "") return { ok: false, reason: "unparseable" };
    // "tgl 10an": around the 10th.
    const around = /(\d)-?an$/.test(s);
    if (around) s = s.replace(/-?an$/, "");
    result = parseRelative(s, today, hour);
    if (!result) {
      const withoutDay = stripDayName(s);
      result = parseAbsolute(withoutDay === undefined ? s : stripFillers(withoutDay), today);
    }
    if (around && result.kind === "date") result = { ...result, approximate: true };
  }
  if (result.kind === "fail") return { ok: false, reason: result.reason };
  if (result.kind === "not_yet") {
    if (daysBetween(result.suggestion, today) > maxAgeDays) return { ok: false, reason: "future" };
    return { ok: false, reason: "not_yet", date: result.date, suggestion: result.suggestion };
  }
  const age = daysBetween(result.date, today);
  if (age < 0) return { ok: false, reason: "future" };
  if (age > maxAgeDays) return { ok: false, reason: "too_old" };
  return { ok: true, date: result.date, approximate: result.approximate };
}
