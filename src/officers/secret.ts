import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { appSecrets } from "../db/schema/index.js";

const NAME = "officer_actions";

/**
 * The key that signs officers' buttons: `configured` (the `OFFICER_ACTION_SECRET` setting) when
 * set; otherwise a key generated once and kept in the database, so buttons sent before a restart
 * (or by another instance) keep working. The first time, a deployment that used to derive its key
 * from a bot token (`seed`) keeps that key, so its existing cards keep working too.
 */
export async function officerActionSecret(
  db: Database,
  configured: string | undefined,
  seed: string | undefined,
): Promise<string> {
  if (configured) return configured;
  const stored = async () =>
    (await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, NAME)))[0]
      ?.value;
  const found = await stored();
  if (found) return found;
  const value = seed
    ? createHash("sha256").update(`lapornetral-officer-actions:${seed}`).digest("hex")
    : randomBytes(32).toString("hex");
  await db.insert(appSecrets).values({ name: NAME, value }).onConflictDoNothing();
  // Another instance may have stored its key first: every instance uses the one stored.
  return (await stored()) ?? value;
}
