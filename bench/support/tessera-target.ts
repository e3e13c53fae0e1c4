/**
 * Tessera under benchmark, in a process of its own: a fresh database (PostgreSQL when
 * DATABASE_URL is set), info-level logs as in production (to /dev/null), the job runner's
 * poll slowed so background work does not count as a request's statements. It signs a
 * person up through the pages and hands the parent what the load needs (target.ts).
 * Usage: forked by bench/hot-paths.ts.
 */
import { authorize, BrowserSession, newPerson } from "../../test/support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../../test/support/clients.js";
import { startTestTessera } from "../../test/support/tessera.js";
import { createPasswords } from "../../src/accounts/index.js";
import { countStatements } from "./statement-counter.js";
import { answerStats, type Ready } from "./target.js";

const chains = Number(process.env.BENCH_CHAINS ?? 16);
const statements = countStatements();
const tessera = await startTestTessera({ env: { LOG_LEVEL: "info", JOBS_POLL_SECONDS: "3600" } });

const client = await registerClient(
  tessera,
  codeClient({ grant_types: ["authorization_code", "refresh_token", "client_credentials"], scope: "openid profile email offline_access" }),
);
const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
const token = async (form: Record<string, string>) => {
  const response = await fetch(`${tessera.issuer}/token`, { method: "POST", headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
  const body = (await response.json()) as Record<string, string>;
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
};
const authorizeUrl = (scope: string, extra: Record<string, string> = {}) =>
  `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope, redirect_uri: rpRedirectUri, state: "bench", ...extra })}`;
const codeOf = (location: string | undefined) => {
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (!code) throw new Error(`no code in ${location}`);
  return code;
};

const person = newPerson();
const session = new BrowserSession(tessera.issuer);
const refreshTokens: string[] = [];
let accessToken = "";
for (let i = 0; i < chains; i++) {
  const hop = await authorize(session, authorizeUrl("openid profile email offline_access", { prompt: "consent" }), person, { existing: i > 0 });
  if (!hop.location) throw new Error(`sign-up stopped at ${hop.url} (${hop.status}): ${hop.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400)}`);
  const tokens = await token({ grant_type: "authorization_code", code: codeOf(hop.location), redirect_uri: rpRedirectUri });
  if (!tokens.refresh_token) throw new Error("no refresh token issued");
  refreshTokens.push(tokens.refresh_token);
  accessToken = tokens.access_token!;
}
const introspected = (await token({ grant_type: "client_credentials" })).access_token!;

const passwords = createPasswords(tessera.config.passwords);
const encoded = await passwords.hash(person.password);
// CPU time (the hash runs on libuv's threads, which process.cpuUsage counts), not wall time,
// so the limit does not move with the machine's load.
const verifyStarted = process.cpuUsage();
const verifications = 20;
for (let i = 0; i < verifications; i++) await passwords.verify(encoded, person.password);
const verifyCpu = process.cpuUsage(verifyStarted);
const argon2VerifyMs = (verifyCpu.user + verifyCpu.system) / 1000 / verifications;

const ready: Ready = {
  type: "ready",
  issuer: tessera.issuer,
  client: { id: client.client_id, secret: client.client_secret! },
  accessToken,
  introspected,
  refreshTokens,
  signIn: { email: person.email, password: person.password, authorizeUrl: authorizeUrl("openid profile email"), redirectUri: rpRedirectUri, argon2VerifyMs },
};
answerStats(statements);
process.send?.(ready);
process.once("disconnect", () => void tessera.close().finally(() => process.exit(0)));
