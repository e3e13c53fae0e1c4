/**
 * Requests an attacker (or an unlucky client) sends: a NUL character in a form, a query or
 * a body — Tessera's pages, its JSON APIs and the provider's endpoints answer 400 with a
 * clear error instead of failing with a 500 — and the consent form's Allow sent eight times
 * at once, which must leave one grant.
 */
import { BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { accountIdOf } from "../support/account-page.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { textOf } from "../support/page-text.js";
import { registerAndConfirm } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;

beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());

const nulMessage = "The request contains a NUL character";

async function send(path: string, init: { method?: string; type?: string; body?: string; accept?: string; cookie?: string } = {}) {
  const response = await fetch(new URL(path, tessera.issuer), {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    redirect: "manual",
    headers: {
      accept: init.accept ?? "text/html",
      ...(init.type ? { "content-type": init.type } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
    },
    body: init.body,
  });
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
}

describe("a NUL character", () => {
  test("in a sign-in form: the page says what is wrong, 400", async () => {
    const session = new BrowserSession(tessera.issuer);
    const login = await session.follow(demoAuthorizeUrl(tessera));
    const path = `${interactionPath(login)}/login`;
    const answer = await send(path, { type: "application/x-www-form-urlencoded", body: "email=ada%00@example.test&password=x", cookie: session.cookieHeaderFor(path) });
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^text\/html/);
    expect(textOf(answer.body)).toContain(nulMessage);
  });

  test("in the password reset form and in a page's query", async () => {
    const reset = await send("/password/forgot", { type: "application/x-www-form-urlencoded", body: "email=%00" });
    expect(reset.status).toBe(400);
    expect(textOf(reset.body)).toContain(nulMessage);

    const query = await send("/password/forgot?email=a%00b");
    expect(query.status).toBe(400);
    expect(textOf(query.body)).toContain(nulMessage);
  });

  test("in the provider's query (authorization endpoint) and body (token endpoint): invalid_request", async () => {
    const authorization = await send(`/auth?client_id=demo%00&response_type=code&scope=openid`, { accept: "application/json" });
    expect(authorization.status).toBe(400);
    expect(JSON.parse(authorization.body)).toEqual({ error: "invalid_request", error_description: expect.stringContaining(nulMessage) });

    const page = await send(`/auth?client_id=demo&response_type=code&scope=openid&state=%00`);
    expect(page.status).toBe(400);
    expect(textOf(page.body)).toContain(nulMessage);

    for (const body of ["grant_type=authorization_code&code=%00abc&redirect_uri=x", "grant_type=refresh_token&refresh_token=a\u0000b"]) {
      const token = await send("/token", { type: "application/x-www-form-urlencoded", body, accept: "application/json" });
      expect({ body, status: token.status }).toEqual({ body, status: 400 });
      expect(JSON.parse(token.body)).toMatchObject({ error: "invalid_request" });
    }

    const registration = await send("/reg", { type: "application/json", body: JSON.stringify({ redirect_uris: ["https://rp.example.test/cb"], client_name: "a\u0000b" }), accept: "application/json" });
    expect(registration.status).toBe(400);
    expect(JSON.parse(registration.body)).toMatchObject({ error: "invalid_request" });
  });

  test("in a JSON API's body: invalid_request in OAuth's error shape", async () => {
    const answer = await send("/ssf/verify", { type: "application/json", body: JSON.stringify({ state: "a\u0000b" }), accept: "application/json" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_request", error_description: expect.stringContaining(nulMessage) });
  });
});

test("Allow sent eight times at once leaves one grant, and the sign-in still completes", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Double-click RP" }));
  const session = new BrowserSession(tessera.issuer);
  const person = newPerson();
  const url = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "st" })}`;
  const consent = await registerAndConfirm(session, url, person);
  expect(consent.body).toContain('/consent"');
  const path = `${interactionPath(consent)}/consent`;

  const answers = await Promise.all(Array.from({ length: 8 }, () => session.request(path, { form: { decision: "allow" } })));
  expect(answers.filter((answer) => answer.status === 303).length).toBeGreaterThan(0);

  const accountId = await accountIdOf(tessera, person.email);
  const grants = await tessera.db.prisma.oidcModel.findMany({ where: { model: "Grant", payload: { path: ["accountId"], equals: accountId } } });
  expect(grants).toHaveLength(1);

  const finished = await session.follow(answers.find((answer) => answer.status === 303)!.location!);
  expect(finished.location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);
});
