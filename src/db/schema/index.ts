/** The whole database schema, one file per table. drizzle-kit reads this to generate `migrations/`. */
export * from "./audit-log.js";
export * from "./contacts.js";
export * from "./evidence.js";
export * from "./inbound-messages.js";
export * from "./office-coverage.js";
export * from "./office-destinations.js";
export * from "./officer-invites.js";
export * from "./officers.js";
export * from "./offices.js";
export * from "./outbox.js";
export * from "./relays.js";
export * from "./report-events.js";
export * from "./report-identities.js";
export * from "./reports.js";
export * from "./sessions.js";
