import type { Command } from "commander";
import { recordAudit } from "../audit.js";
import { ConsoleAuth } from "../console/auth.js";
import type { AdminServices } from "./context.js";
import { output } from "./output.js";

const ACTOR = "admin-cli";

/** `console link --office <office>`: a one-time admin link to the office console (audited). */
export function registerConsoleCommands(program: Command, services: () => Promise<AdminServices>): void {
  const cmd = program.command("console").description("the office console (/konsol)");
  cmd
    .command("link")
    .description("a one-time sign-in link (10 minutes) acting for an office and seeing every report")
    .requiredOption("--office <office>", 'code or name, e.g. 18.72 or "Bawaslu Kota Metro"')
    .option("--json", "print JSON")
    .action(async (o: { office: string; json?: boolean }) => {
      const s = await services();
      const office = await s.directory.resolve(o.office);
      const auth = new ConsoleAuth(s.database.db);
      const token = await auth.createLink({
        officeCode: office.code,
        officerId: null,
        role: "admin",
        createdBy: ACTOR,
      });
      await recordAudit(s.database.db, {
        actor: ACTOR,
        action: "console.link",
        entity: "office",
        entityKey: office.code,
        details: { role: "admin" },
      });
      const base = (s.config.CONSOLE_URL ?? `http://${s.config.HOST}:${s.config.PORT}`).replace(/\/$/, "");
      const url = `${base}/konsol/masuk/${token}`;
      output({ url, office: office.code, validMinutes: 10 }, o.json, (x) => [
        `console link for ${office.name} (single use, valid 10 minutes):`,
        `  ${x.url}`,
      ]);
    });
}
