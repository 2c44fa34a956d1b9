import { parse } from "csv-parse/sync";
import { recordAudit } from "../audit.js";
import type { Database } from "../db/client.js";
import type { DestinationChannel } from "../db/schema/index.js";
import { type InputError, LaporError } from "../errors.js";
import { validateDestinationAddress } from "./destination-address.js";
import { normalizeContact, type OfficeContact, type OfficeDirectory } from "./directory.js";

/** Columns an import file may have. Only `office` is required; a cell left empty changes nothing, "-" clears it. */
export const IMPORT_COLUMNS = [
  "office",
  "address",
  "phone",
  "email",
  "hours",
  "telegram",
  "whatsapp",
  "webhook",
  "web",
] as const;
const CONTACT_COLUMNS = ["address", "phone", "email", "hours"] as const;
const DESTINATION_COLUMNS = ["telegram", "whatsapp", "webhook", "web"] as const;

/** One problem in an import file, located by line (1 = the header) and column name. */
export interface ImportProblem {
  line: number;
  column: string;
  message: string;
}

/** Raised when an import file has any problem; nothing was applied. Lists every problem found. */
export class ImportError extends LaporError {
  constructor(readonly problems: ImportProblem[]) {
    super(
      "import",
      `import refused, nothing was applied:\n${problems
        .slice(0, 50)
        .map((p) => `  line ${p.line}, column ${p.column}: ${p.message}`)
        .join("\n")}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ""}`,
    );
  }
}

/** What an import changed. */
export interface ImportSummary {
  rows: number;
  contactsUpdated: number;
  destinationsAdded: number;
}

interface PlannedRow {
  line: number;
  officeCode: string;
  contact: OfficeContact;
  destinations: { channel: DestinationChannel; address: string }[];
}

/**
 * Imports office contacts and destinations from CSV text: all rows or none. Every row is checked
 * first (known office, valid e-mail and destination addresses, no office twice); any problem
 * throws {@link ImportError} naming line and column, and the database is left untouched.
 */
export async function importOfficesCsv(
  db: Database,
  directory: OfficeDirectory,
  csv: string,
  actor: string,
): Promise<ImportSummary> {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new ImportError([
      { line: err.lines ?? 0, column: "-", message: `not valid CSV: ${err.message ?? String(e)}` },
    ]);
  }
  const [header, ...rows] = records;
  if (!header) throw new ImportError([{ line: 1, column: "-", message: "the file is empty" }]);
  const problems: ImportProblem[] = [];
  const columns = header.map((h) => h.toLowerCase());
  columns.forEach((c, i) => {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(c)) {
      problems.push({
        line: 1,
        column: c || `#${i + 1}`,
        message: `unknown column; allowed: ${IMPORT_COLUMNS.join(", ")}`,
      });
    }
    if (columns.indexOf(c) !== i) problems.push({ line: 1, column: c, message: "column appears twice" });
  });
  if (!columns.includes("office"))
    problems.push({ line: 1, column: "office", message: "required column is missing" });
  if (problems.length) throw new ImportError(problems);
  if (rows.length === 0)
    throw new ImportError([{ line: 2, column: "-", message: "no rows after the header" }]);

  const planned: PlannedRow[] = [];
  const seen = new Map<string, number>();
  for (const [i, cells] of rows.entries()) {
    const line = i + 2;
    const cell = (name: string) => cells[columns.indexOf(name)] ?? "";
    let officeCode: string;
    try {
      officeCode = (await directory.resolve(cell("office"))).code;
    } catch {
      problems.push({
        line,
        column: "office",
        message: `no such office: ${JSON.stringify(cell("office").slice(0, 60))}`,
      });
      continue;
    }
    const first = seen.get(officeCode);
    if (first)
      problems.push({ line, column: "office", message: `office ${officeCode} is already on line ${first}` });
    seen.set(officeCode, line);
    const contact: OfficeContact = {};
    for (const c of CONTACT_COLUMNS) {
      if (!columns.includes(c) || cell(c) === "") continue;
      contact[c] = cell(c) === "-" ? null : cell(c);
      try {
        Object.assign(contact, normalizeContact({ [c]: contact[c] }));
      } catch (e) {
        problems.push({ line, column: c, message: (e as Error).message });
      }
    }
    const destinations: PlannedRow["destinations"] = [];
    for (const channel of DESTINATION_COLUMNS) {
      if (!columns.includes(channel)) continue;
      for (const address of cell(channel)
        .split(/[;\s]+/)
        .filter(Boolean)) {
        try {
          destinations.push({ channel, address: validateDestinationAddress(channel, address) });
        } catch (e) {
          problems.push({ line, column: channel, message: (e as InputError).message });
        }
      }
    }
    planned.push({ line, officeCode, contact, destinations });
  }
  if (problems.length) throw new ImportError(problems);

  return db.transaction(async (tx) => {
    const summary: ImportSummary = { rows: planned.length, contactsUpdated: 0, destinationsAdded: 0 };
    for (const row of planned) {
      if (Object.keys(row.contact).length) {
        await directory.updateContact(row.officeCode, row.contact, actor, tx);
        summary.contactsUpdated++;
      }
      for (const d of row.destinations) {
        await directory.addDestination(row.officeCode, d.channel, d.address, { actor }, tx);
        summary.destinationsAdded++;
      }
    }
    await recordAudit(tx, {
      actor,
      action: "offices.import",
      entity: "import",
      entityKey: new Date().toISOString(),
      details: { ...summary },
    });
    return summary;
  });
}
