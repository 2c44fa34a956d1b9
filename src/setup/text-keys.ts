import { OFFICER_TEXT_KEYS } from "../officers/texts.js";

/**
 * The texts modules declare for themselves (each in its own typed list), on top of the engine's
 * own `TEXT_KEYS`: checked in every locale file at start-up and by `npm run flows:check`.
 */
export const MODULE_TEXT_KEYS: readonly string[] = [...OFFICER_TEXT_KEYS];
