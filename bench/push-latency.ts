/**
 * Account-update push on PostgreSQL: (1) the time from a change (its domain event, written
 * in the change's transaction) to the receiver's 202, over sequential renames; (2) how many
 * SETs one Tessera process delivers per second to a receiver that answers at once.
 * Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/push-latency.ts [changes] [deliveries]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { authorize, BrowserSession, newPerson } from "../test/support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../test/support/clients.js";
import { startTestTessera } from "../test/support/tessera.js";

const changes = Number(process.argv[2] ?? 200);
const deliveries = Number(process.argv[3] ?? 1000);
if (!process.env.DATABASE_URL) throw new Error("set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own database)");

const arrivals: number[] = [];
let waiting: (() => void) | undefined;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    arrivals.push(Date.now());
    res.writeHead(202).end();
    waiting?.();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const endpoint = `http://localhost:${(receiver.address() as AddressInfo).port}/events`;
const until = (count: number) =>
  new Promise<void>((resolve) => {
    waiting = () => arrivals.length >= count && resolve();
    waiting();
  });

const tessera = await startTestTessera({ env: { LOG_LEVEL: "warn" } });
try {
  const client = await registerClient(tessera, codeClient({ grant_types: ["authorization_code", "client_credentials"], scope: "openid profile email ssf.manage" }));
  await tessera.db.prisma.client.update({ where: { id: client.client_id }, data: { pushEndpoint: endpoint } });
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const url = `${tessera.issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile", redirect_uri: rpRedirectUri, state: "s" })}`;
  await authorize(session, url, person);
  await session.follow("/account");

  const latencies: number[] = [];
  for (let i = 0; i < changes; i++) {
    const before = arrivals.length;
    await session.follow("/account/profile", { form: { name: `Bench ${i}` } });
    await until(before + 1);
    const event = await tessera.db.prisma.domainEvent.findFirstOrThrow({ where: { type: "account.name-changed" }, orderBy: { occurredAt: "desc" } });
    latencies.push(arrivals.at(-1)! - event.occurredAt.getTime());
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.log(`change → receiver 202 over ${changes} renames: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)} ms`);

  const accountId = (await tessera.db.prisma.email.findFirstOrThrow({ where: { normalized: person.email.toLowerCase() } })).userId;
  const start = arrivals.length;
  const started = Date.now();
  await tessera.db.prisma.$transaction(async (tx) => {
    const now = new Date();
    await tx.job.createMany({
      data: Array.from({ length: deliveries }, () => ({
        kind: "push.deliver",
        payload: { clientId: client.client_id, type: "https://schemas.openid.net/secevent/caep/event-type/session-revoked", accountId },
        maxAttempts: 9,
        runAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    });
    await tx.$executeRaw`SELECT pg_notify('tessera_jobs', '')`;
  });
  await until(start + deliveries);
  const seconds = (Date.now() - started) / 1000;
  console.log(`${deliveries} SETs signed and delivered by one process in ${seconds.toFixed(2)} s: ${Math.round(deliveries / seconds)} per second`);
} finally {
  await tessera.close();
  receiver.closeAllConnections();
  receiver.close();
}
