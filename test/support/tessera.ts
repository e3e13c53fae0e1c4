/**
 * Starts a real Tessera for one test file: on a fresh in-memory PGlite by default, or on a
 * fresh PostgreSQL database (created from DATABASE_URL, dropped afterwards) when that is
 * set, with its own key folder and a free port.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseConfig, settings, type Config } from "../../src/config.js";
import { startTessera, type Tessera } from "../../src/server.js";
import { createLogger, type Logger } from "../../src/shared/log.js";
import type { Clock } from "../../src/shared/clock.js";
import type Provider from "oidc-provider";
import type { ClaimContributor } from "../../src/accounts/index.js";
import type { Edge } from "../../src/http/edge/index.js";
import type { LoginMethod } from "../../src/interactions/login-method.js";
import type { DatabaseTarget } from "../../src/db/database.js";
import { mailboxes } from "./browser-session.js";
import { freshDatabase } from "./database.js";
import { freePort } from "./ports.js";
import { startSmtpServer, type TestSmtpServer } from "./smtp.js";

export { freePort };

const throttleSettings = Object.keys(settings).filter((name) => name.startsWith("THROTTLE_"));

export interface TestTessera extends Tessera {
  config: Config;
  /** The database it runs on. */
  target: DatabaseTarget;
  issuer: string;
  /** The SMTP server Tessera sends to in this test file. */
  mailbox: TestSmtpServer;
}

export async function startTestTessera(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    log?: Logger;
    mount?: (edge: Edge, provider: Provider) => void;
    claimContributors?: ClaimContributor[];
    loginMethods?: LoginMethod[];
    /**
     * A database and key folder of the caller's (another Tessera's, for a restart or a second
     * process), left in place on close; with a mailbox, both processes send to one SMTP
     * server, as they would in production (either process's worker may send a mail).
     */
    shared?: { target: DatabaseTarget; keysDir: string; mailbox?: TestSmtpServer };
  } = {},
): Promise<TestTessera> {
  const port = await freePort();
  const keysDir = options.shared?.keysDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "tessera-keys-")));
  const database = options.shared ? { target: options.shared.target, drop: async () => undefined } : await freshDatabase();
  const mailbox = options.shared?.mailbox ?? (await startSmtpServer());
  const config = parseConfig({
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    KEYS_DIR: keysDir,
    DATA_DIR: keysDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    LOG_FORMAT: "json",
    DEMO_CLIENT: "true",
    SMTP_URL: mailbox.url,
    MAIL_RETRY_BASE_SECONDS: "1",
    JOBS_POLL_SECONDS: "1",
    // Suites sign up and sign in many times from one address; throttling has its own tests
    // (test/security), which set the limits they check.
    ...Object.fromEntries(throttleSettings.map((name) => [name, "100000/1h"])),
    DATABASE_URL: database.target.kind === "postgres" ? database.target.url : undefined,
    ...options.env,
  });
  const tessera = await startTessera(config, { log: options.log ?? createLogger(config.log), database: database.target, clock: options.clock, mount: options.mount, claimContributors: options.claimContributors, loginMethods: options.loginMethods });
  mailboxes.set(config.issuer, mailbox);
  return {
    ...tessera,
    config,
    target: database.target,
    issuer: config.issuer,
    mailbox,
    async close() {
      mailboxes.delete(config.issuer);
      await tessera.close();
      if (!options.shared?.mailbox) await mailbox.close();
      await database.drop();
      if (!options.shared) await fs.rm(keysDir, { recursive: true, force: true });
    },
  };
}
