/** The whole database schema, one file per table. drizzle-kit reads this to generate `migrations/`. */
export * from "./audit-log.js";
export * from "./office-coverage.js";
export * from "./office-destinations.js";
export * from "./offices.js";
