/**
 * `npm run flows:check [dir]`: checks every flow and locale file (default `flows/`) and prints each
 * problem with its file and the path inside it. Exits 1 when there is an error, 0 otherwise.
 */
import { join } from "node:path";
import { readPrompts } from "../ai/prompts.js";
import { readRulesDirectory } from "../ai/rules-file.js";
import { readCalendar } from "../broadcasts/calendar.js";
import { readLibrary } from "../broadcasts/library.js";
import { formatProblem, readFlowDirectory } from "../engine/flow-schema.js";
import { loadHolidays } from "../holidays.js";
import { MODULE_TEXT_KEYS } from "../setup/text-keys.js";

const dir = process.argv[2] ?? "flows";
const { flows, problems } = readFlowDirectory(dir, MODULE_TEXT_KEYS);
try {
  loadHolidays(join(dir, "calendar/holidays.yaml"));
} catch (e) {
  problems.push({
    level: "error",
    file: join(dir, "calendar/holidays.yaml"),
    path: "",
    message: (e as Error).message,
  });
}
// The AI help's prompts and rules passages (src/ai/).
problems.push(
  ...readPrompts(join(dir, "prompts")).problems,
  ...readRulesDirectory(join(dir, "rules")).problems,
);
// The broadcast reminder library and the election calendar.
const library = readLibrary(join(dir, "broadcasts"));
problems.push(...library.problems, ...readCalendar(join(dir, "calendar/elections.yaml")).problems);
for (const p of problems) (p.level === "error" ? console.error : console.warn)(formatProblem(p));
const errors = problems.filter((p) => p.level === "error").length;
if (errors > 0) {
  console.error(`flows check failed: ${errors} error(s)`);
  process.exit(1);
}
const steps = Object.values(flows).reduce((n, f) => n + Object.keys(f.steps).length, 0);
console.log(
  `flows ok: ${Object.keys(flows).length} flows, ${steps} steps, ${library.reminders.length} broadcast reminders`,
);
