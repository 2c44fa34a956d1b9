/**
 * The admin commands, by top-level name. Each module is imported only when its command runs (or
 * its own `--help` is asked for), so `--help` and quick commands do not load the rest. To add a
 * command: write `src/cli/<name>.ts` with a `register…(program, …)` function and add a line here.
 */
import type { Command } from "commander";
import type { AdminContext } from "./context.js";

/** Registers a module's commands (all of them: a module may own several top-level names). */
export type Register = (program: Command, ctx: AdminContext) => void;

export interface CommandEntry {
  name: string;
  /** Shown by `admin --help` without loading the module. */
  summary: string;
  load(): Promise<Register>;
}

const offices = async (): Promise<Register> => {
  const m = await import("./offices.js");
  return (program, ctx) => m.registerOfficeCommands(program, ctx.services);
};

export const COMMANDS: CommandEntry[] = [
  { name: "offices", summary: "Bawaslu offices: list, show, update contacts, import", load: offices },
  { name: "destinations", summary: "where offices receive reports", load: offices },
  { name: "coverage", summary: "let an office receive another regency's reports first", load: offices },
  {
    name: "regions",
    summary: "look up regions by name or GPS point",
    load: async () => {
      const m = await import("./regions.js");
      return (program, ctx) => m.registerRegionCommands(program, ctx);
    },
  },
  {
    name: "route",
    summary: "show the delivery chain for a GPS point or a place",
    load: async () => {
      const m = await import("./route.js");
      return (program, ctx) => m.registerRouteCommand(program, ctx.services, ctx);
    },
  },
  {
    name: "reports",
    summary: "citizens' reports: list, show one, export",
    load: async () => {
      const m = await import("./reports.js");
      return (program, ctx) => m.registerReportCommands(program, ctx.services);
    },
  },
  {
    name: "deliveries",
    summary: "delivery jobs (outbox): see what did not arrive and send it again",
    load: async () => {
      const m = await import("./deliveries.js");
      return (program, ctx) => m.registerDeliveryCommands(program, ctx.services);
    },
  },
  {
    name: "officers",
    summary: "Bawaslu officers and their invite codes",
    load: async () => {
      const m = await import("./officers.js");
      return (program, ctx) => m.registerOfficerCommands(program, ctx.services);
    },
  },
  {
    name: "classify",
    summary: 'classify complaint stories: JSON lines {"text": "..."} on stdin, one JSON line out per story',
    load: async () => {
      const m = await import("./classify.js");
      return (program, ctx) => m.registerClassifyCommand(program, ctx.config, ctx.logger);
    },
  },
  {
    name: "broadcasts",
    summary: "reminder broadcasts to subscribers and officers",
    load: async () => {
      const m = await import("./broadcasts.js");
      return (program, ctx) => m.registerBroadcastCommands(program, ctx.services);
    },
  },
  {
    name: "console",
    summary: "the office console: one-time sign-in links",
    load: async () => {
      const m = await import("./console.js");
      return (program, ctx) => m.registerConsoleCommands(program, ctx.services);
    },
  },
];
