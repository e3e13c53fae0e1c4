/** The shared room's public surface: leaf utilities every other room may use. */
export * from "./clock.js";
export * from "./errors.js";
export * from "./log.js";
export * from "./events.js";
export * from "./log-safe-path.js";
export * from "./colour.js";
export * from "./request-context.js";
