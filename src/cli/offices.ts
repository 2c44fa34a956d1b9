import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  DESTINATION_CHANNELS,
  type DestinationChannel,
  OFFICE_LEVELS,
  type OfficeLevel,
} from "../db/schema/index.js";
import { InputError } from "../errors.js";
import { importOfficesCsv } from "../offices/import-csv.js";
import type { AdminServices } from "./context.js";
import { io, output, table } from "./output.js";
import { positiveInt } from "./reports.js";

const ACTOR = "admin-cli";

function channelOf(value: string): DestinationChannel {
  if (!(DESTINATION_CHANNELS as readonly string[]).includes(value)) {
    throw new InputError("channel", `channel must be one of ${DESTINATION_CHANNELS.join(", ")}`);
  }
  return value as DestinationChannel;
}

/** `offices …`, `destinations …` and `coverage …`. */
export function registerOfficeCommands(program: Command, services: () => Promise<AdminServices>): void {
  const offices = program
    .command("offices")
    .description("Bawaslu offices: list, show, update contacts, import");
  offices
    .command("list")
    .description("list offices")
    .option("--level <level>", `one of ${OFFICE_LEVELS.join(", ")}`)
    .option("--province <code>", "only this province's offices, e.g. 18")
    .option("--search <text>", "text in the office name")
    .option("--json", "print JSON")
    .action(async (o: { level?: string; province?: string; search?: string; json?: boolean }) => {
      if (o.level && !(OFFICE_LEVELS as readonly string[]).includes(o.level)) {
        throw new InputError("level", `level must be one of ${OFFICE_LEVELS.join(", ")}`);
      }
      const { directory } = await services();
      const filter = { level: o.level as OfficeLevel | undefined, province: o.province, search: o.search };
      const rows = await directory.list(filter);
      output(rows, o.json, (list) => [
        ...table([
          ["code", "name", "phone", "email"],
          ...list.map((x) => [x.code, x.name, x.phone, x.email]),
        ]),
        `${list.length} offices`,
      ]);
    });
  offices
    .command("show")
    .description("show one office with its destinations")
    .argument("<office>", 'code ("18.72", "RI") or name ("Bawaslu Kota Metro")')
    .option("--json", "print JSON")
    .action(async (office: string, o: { json?: boolean }) => {
      const { directory } = await services();
      output(await directory.details(office), o.json, (d) => [
        `${d.name} (${d.code}, ${d.level})`,
        `  address: ${d.address ?? "-"}`,
        `  phone:   ${d.phone ?? "-"}`,
        `  email:   ${d.email ?? "-"}`,
        `  hours:   ${d.hours ?? "-"}`,
        `  destinations:${d.destinations.length ? "" : " none (reports go up the chain)"}`,
        ...d.destinations.map(
          (x) =>
            `    #${x.id} ${x.channel}:${x.address}${x.label ? ` (${x.label})` : ""}${x.active ? "" : " [disabled]"}`,
        ),
        ...d.coverage.map((c) => `  also covers ${c.regionCode}: ${c.reason}`),
      ]);
    });
  offices
    .command("update")
    .description("set contact details (use an empty string to clear a field)")
    .argument("<office>", "code or name")
    .option("--address <text>")
    .option("--phone <text>")
    .option("--email <text>")
    .option("--hours <text>")
    .option("--json", "print JSON")
    .action(
      async (
        office: string,
        o: { address?: string; phone?: string; email?: string; hours?: string; json?: boolean },
      ) => {
        const { directory } = await services();
        const { json, ...contact } = o;
        if (Object.keys(contact).length === 0)
          throw new InputError("options", "give at least one of --address, --phone, --email, --hours");
        output(await directory.updateContact(office, contact, ACTOR), json, (x) => `updated ${x.name}`);
      },
    );
  offices
    .command("import")
    .description(
      "import contacts and destinations from CSV (all rows or none); columns: office,address,phone,email,hours,telegram,whatsapp,webhook,web",
    )
    .argument("<file>", "CSV file")
    .option("--json", "print JSON")
    .action(async (file: string, o: { json?: boolean }) => {
      const csv = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
        throw new InputError("file", `cannot read ${file}: ${e.code ?? e.message}`);
      });
      const { database, directory } = await services();
      output(
        await importOfficesCsv(database.db, directory, csv, ACTOR),
        o.json,
        (s) =>
          `imported ${s.rows} rows: ${s.contactsUpdated} contacts updated, ${s.destinationsAdded} destinations added or confirmed`,
      );
    });

  const destinations = program.command("destinations").description("where offices receive reports");
  destinations
    .command("add")
    .description("add a destination, e.g. destinations add 18.72 telegram -1001234567890")
    .argument("<office>", "code or name")
    .argument("<channel>", DESTINATION_CHANNELS.join(" | "))
    .argument("<address>", "chat id, WhatsApp id, URL or inbox name")
    .option("--label <text>", "a note for admins")
    .option("--json", "print JSON")
    .action(
      async (office: string, channel: string, address: string, o: { label?: string; json?: boolean }) => {
        const { directory } = await services();
        const d = await directory.addDestination(office, channelOf(channel), address, {
          label: o.label ?? null,
          actor: ACTOR,
        });
        output(d, o.json, (x) => `destination #${x.id} ${x.channel}:${x.address} active for ${x.officeCode}`);
      },
    );
  for (const [name, active] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    destinations
      .command(name)
      .description(`${name} a destination by id (see offices show)`)
      .argument("<id>")
      .option("--json", "print JSON")
      .action(async (id: string, o: { json?: boolean }) => {
        const { directory } = await services();
        output(
          await directory.setDestinationActive(positiveInt("id", id), active, ACTOR),
          o.json,
          (x) => `destination #${x.id} ${x.active ? "enabled" : "disabled"}`,
        );
      });
  }
  destinations
    .command("remove")
    .description("delete a destination by id")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, o: { json?: boolean }) => {
      const { directory } = await services();
      output(
        await directory.removeDestination(positiveInt("id", id), ACTOR),
        o.json,
        (x) => `destination #${x.id} removed from ${x.officeCode}`,
      );
    });

  const coverage = program
    .command("coverage")
    .description("let an office receive another regency's reports first");
  coverage
    .command("add")
    .argument("<office>", "office that takes the reports")
    .argument("<region>", "kabupaten/kota code, e.g. 96.04")
    .requiredOption("--reason <text>", "why (kept in the audit log and shown in routes)")
    .option("--json", "print JSON")
    .action(async (office: string, region: string, o: { reason: string; json?: boolean }) => {
      const { directory } = await services();
      output(
        await directory.addCoverage(office, region, o.reason, ACTOR),
        o.json,
        (c) => `${c.officeCode} now covers ${c.regionCode}`,
      );
    });
  coverage
    .command("remove")
    .argument("<region>", "kabupaten/kota code")
    .action(async (region: string) => {
      const { directory } = await services();
      await directory.removeCoverage(region, ACTOR);
      io().stdout.write(`override for ${region} removed\n`);
    });
}
