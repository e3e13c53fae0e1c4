/**
 * Asking for a sign-in link (POST /api/sign-in-links) and opening it: only an allowed client
 * authenticated as at the token endpoint gets one; only to its registered targets, exactly;
 * limited per client and per address; the link's page does not use it, its POST does, once;
 * a tampered link is refused, and a used or expired one sends the person back to the
 * client's entry URL with the target kept.
 */
import { randomUUID } from "node:crypto";
import { BrowserSession, newPerson } from "../support/browser-session.js";
import { rpOrigin } from "../support/clients.js";
import { movableClock } from "../support/clock.js";
import { linkClient, linkFor, requestLink } from "../support/sign-in-links.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { purgeSignInLinksHandler } from "../../src/signin-links/index.js";
import { createLogger } from "../../src/shared/index.js";

const clock = movableClock();
let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ clock, env: { THROTTLE_SIGN_IN_LINK_PER_ADDRESS: "3/1h", THROTTLE_SIGN_IN_LINK_PER_CLIENT: "5/1h" } });
});
afterAll(async () => tessera?.close());

const address = () => `link.${randomUUID()}@example.test`;
const entryUrl = (target: string) => `${rpOrigin}/login?iss=${encodeURIComponent(tessera.issuer)}&target_link_uri=${encodeURIComponent(target)}`;

describe("asking for a link", () => {
  test("an allowed client gets a link to its exact target, valid ten minutes, and the request is audited", async () => {
    const client = await linkClient(tessera);
    const email = address();
    const answer = await requestLink(tessera, client, { email, name: "Ann Link", target: `${rpOrigin}/billing/plans?period=year` });
    expect(answer.status).toBe(201);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.json.url).toMatch(new RegExp(`^${tessera.issuer}/sign-in-link/[0-9a-f-]{36}\\.[\\w-]{43}$`));
    expect(answer.json.expires_in).toBe(600);
    const lifetime = new Date(answer.json.expires_at!).getTime() - clock.now().getTime();
    expect(lifetime).toBeGreaterThan(590_000);
    expect(lifetime).toBeLessThanOrEqual(600_000);
    const audit = await tessera.db.prisma.auditRecord.findMany({ where: { type: "sign-in-link.issued", clientId: client.client_id } });
    expect(audit.map((record) => record.detail)).toEqual([expect.objectContaining({ email })]);
  });

  test("a wrong secret is invalid_client, a client not allowed links is unauthorized_client", async () => {
    const client = await linkClient(tessera);
    const wrong = await requestLink(tessera, client, { email: address(), target: `${rpOrigin}/billing/` }, "not-the-secret");
    expect([wrong.status, wrong.json.error]).toEqual([401, "invalid_client"]);
    const refused = await linkClient(tessera, { allowed: false });
    const answer = await requestLink(tessera, refused, { email: address(), target: `${rpOrigin}/billing/` });
    expect([answer.status, answer.json.error]).toEqual([403, "unauthorized_client"]);
    expect(answer.json.error_description).toContain("--sign-in-links");
  });

  test.each([
    ["another host", "https://evil.example.test/billing/"],
    ["the client's host outside its prefixes", `${rpOrigin}/admin/`],
    ["a prefix lookalike", `${rpOrigin}/billing-admin`],
    ["a .. segment", `${rpOrigin}/billing/../admin/`],
    ["an encoded .. segment", `${rpOrigin}/billing/%2e%2e/admin/`],
    ["an encoded slash", `${rpOrigin}/billing/..%2fadmin/`],
    ["an encoded host", "https://rp%2eexample%2etest/billing/"],
    ["credentials before another host", `${rpOrigin}/billing/@evil.example.test`.replace("https://", "https://user@")],
    ["a backslash", `${rpOrigin}/billing\\..\\admin`],
    ["another scheme", "javascript:alert(1)"],
    ["a relative URL", "/billing/"],
  ])("a target on %s is refused with invalid_target", async (_case, target) => {
    const client = await linkClient(tessera);
    const answer = await requestLink(tessera, client, { email: address(), target });
    expect([answer.status, answer.json.error]).toEqual([400, "invalid_target"]);
  });

  test("an origin target allows any page there; a bad address is invalid_request", async () => {
    const client = await linkClient(tessera);
    expect((await requestLink(tessera, client, { email: address(), target: "https://other-page.example.test/any/page" })).status).toBe(201);
    expect((await requestLink(tessera, client, { email: address(), target: "https://other-page.example.test" })).status).toBe(201);
    const bad = await requestLink(tessera, client, { email: "not an address", target: `${rpOrigin}/billing/` });
    expect([bad.status, bad.json.error]).toEqual([400, "invalid_request"]);
  });

  test("links are limited per address over every client, and per client", async () => {
    const [first, second] = [await linkClient(tessera), await linkClient(tessera)];
    const email = address();
    for (const client of [first, second, first]) expect((await requestLink(tessera, client, { email, target: `${rpOrigin}/billing/` })).status).toBe(201);
    const refused = await requestLink(tessera, second, { email, target: `${rpOrigin}/billing/` });
    expect([refused.status, refused.json.error]).toEqual([429, "too_many_requests"]);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

    const busy = await linkClient(tessera);
    for (let i = 0; i < 5; i++) expect((await requestLink(tessera, busy, { email: address(), target: `${rpOrigin}/billing/` })).status).toBe(201);
    expect((await requestLink(tessera, busy, { email: address(), target: `${rpOrigin}/billing/` })).status).toBe(429);
  });
});

describe("opening a link", () => {
  test("a link scanner's GETs do not use it; the page's POST does, once; then it leads back to the client's entry URL", async () => {
    const client = await linkClient(tessera);
    const target = `${rpOrigin}/billing/plans`;
    const url = await linkFor(tessera, client, newPerson().email, target);
    const scanner = new BrowserSession(tessera.issuer);
    for (let i = 0; i < 3; i++) {
      const page = await scanner.request(url);
      expect(page.status).toBe(200);
      expect(page.body).toContain("sent you here to sign in as");
    }
    const person = new BrowserSession(tessera.issuer);
    const used = await person.request(url, { form: {} });
    expect(used.status).toBe(303);
    expect(used.location).toMatch(/\/sign-in-link\/flow\/[0-9a-f-]+\/email$/);
    for (const again of [await scanner.request(url), await person.request(url, { form: {} })]) {
      expect(again.status).toBe(303);
      expect(again.location).toBe(entryUrl(target));
    }
    const audit = await tessera.db.prisma.auditRecord.count({ where: { type: "sign-in-link.used", clientId: client.client_id } });
    expect(audit).toBe(1);
  });

  test("an expired link leads back to the client's entry URL with the target kept", async () => {
    const client = await linkClient(tessera);
    const target = `${rpOrigin}/billing/invoices?year=2026`;
    const url = await linkFor(tessera, client, address(), target);
    clock.advance(10 * 60 + 1);
    const session = new BrowserSession(tessera.issuer);
    for (const hop of [await session.request(url), await session.request(url, { form: {} })]) {
      expect(hop.status).toBe(303);
      expect(hop.location).toBe(entryUrl(target));
    }
  });

  test("a tampered link is refused with a page of its own, and changes nothing", async () => {
    const client = await linkClient(tessera);
    const url = await linkFor(tessera, client, address());
    const [base, signature] = url.split(".");
    const flipped = `${base}.${signature![0] === "A" ? "B" : "A"}${signature!.slice(1)}`;
    const otherId = url.replace(/[0-9a-f]{8}-/, "00000000-");
    const session = new BrowserSession(tessera.issuer);
    for (const bad of [flipped, otherId, `${url}x`, url.slice(0, -5)]) {
      for (const hop of [await session.request(bad), await session.request(bad, { form: {} })]) {
        expect(hop.status).toBe(404);
        expect(hop.body).toContain("This sign-in link is not valid");
      }
    }
    expect((await session.request(url, { form: {} })).status).toBe(303);
  });
});

test("the hourly purge deletes links two days after they expired (opening one then says it is not valid), and keeps the newer ones", async () => {
  const client = await linkClient(tessera);
  const old = await linkFor(tessera, client, address());
  clock.advance(2 * 86_400 + 11 * 60);
  const recent = await linkFor(tessera, client, address());
  await purgeSignInLinksHandler(tessera.db.prisma, clock).run({}, { idempotencyKey: "test", attempt: 1, log: createLogger({ level: "silent", pretty: false }) });
  const ids = (await tessera.db.prisma.signInLink.findMany({ where: { clientId: client.client_id } })).map((row) => row.id);
  expect(ids).toEqual([recent.split("/").pop()!.split(".")[0]]);
  expect((await new BrowserSession(tessera.issuer).request(old)).status).toBe(404);
});
