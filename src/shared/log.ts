/**
 * The one logger. Messages are constant strings with data in fields; `redact` keeps
 * credentials out of the logs even when a caller passes a whole object by mistake.
 */
import { pino, type Logger } from "pino";

export type { Logger };

const redactedPaths = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "client_secret",
  "*.client_secret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
];

export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: { service: "tessera" },
    transport: options.pretty
      ? { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service" } }
      : undefined,
  });
}
