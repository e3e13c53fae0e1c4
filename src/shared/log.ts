/**
 * The one logger. Messages are constant strings with data in fields; `redact` keeps
 * credentials out of the logs even when a caller passes a whole object by mistake.
 */
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Field names that carry a credential wherever they sit (top level or one object down):
 * passwords, client secrets, tokens and codes as they appear in OAuth bodies and answers,
 * confirmation keys, and the request headers that carry them (ASVS 5.0 16.2.5). Not `code`:
 * log lines use it for error codes, and Tessera never logs an OAuth body or query.
 */
const secretFields = [
  "password",
  "secret",
  "client_secret",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "id_token_hint",
  "registration_access_token",
  "device_code",
  "user_code",
  "key",
  "authorization",
  "cookie",
];
const redactedPaths = [
  ...secretFields.flatMap((field) => [field, `*.${field}`]),
  ...["authorization", "cookie", "set-cookie"].flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/** Logs to stdout unless given a `destination` (tests read what an operator would). */
export function createLogger(options: { level: string; pretty: boolean }, destination?: DestinationStream): Logger {
  const settings = { level: options.level, redact: { paths: redactedPaths, censor: "[redacted]" }, base: { service: "tessera" } };
  if (destination) return pino(settings, destination);
  return pino({
    ...settings,
    transport: options.pretty
      ? { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service" } }
      : undefined,
  });
}
