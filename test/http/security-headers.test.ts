/**
 * The headers every page carries, whoever renders it — Tessera's routes or the provider's
 * (errors, logout, device flow, form_post) — and JSON answers (ASVS 5.0 3.4.x): a CSP with
 * no inline script but by hash and no framing, a referrer policy that never sends a path,
 * no-store, nosniff; HSTS in production only. Also: a forged Host never reaches discovery.
 */
import http from "node:http";
import { createHash } from "node:crypto";
import { authorize, BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { confirmLinkOf, mailAfter, mailMark } from "../support/mailbox.js";
import { navigate } from "../support/relying-party.js";
import { register, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
let signedIn: BrowserSession;

// Starting Tessera and signing up through the mailbox: more than the default hook timeout on a busy machine.
beforeAll(async () => {
  tessera = await startTestTessera();
  signedIn = (await signUp(tessera)).session;
}, 120_000);
afterAll(async () => tessera?.close());

const anonymous = { cookieHeaderFor: () => "" };

function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]): [string, string[]] => [name!, values]),
  );
}

/** What every HTML page must carry. */
function expectPageHeaders(headers: Headers, what: string) {
  const csp = headers.get("content-security-policy");
  expect({ what, csp }).toEqual({ what, csp: expect.any(String) });
  const policy = directives(csp!);
  expect(policy["frame-ancestors"]).toEqual(["'none'"]);
  expect(policy["default-src"]).toEqual(["'self'"]);
  expect(policy["object-src"]).toEqual(["'none'"]);
  expect(policy["base-uri"]).toEqual(["'none'"]);
  for (const values of Object.values(policy)) {
    expect(values).not.toContain("'unsafe-inline'");
    expect(values).not.toContain("'unsafe-eval'");
  }
  expect({ what, referrer: headers.get("referrer-policy") }).toEqual({ what, referrer: "strict-origin" });
  expect({ what, cache: headers.get("cache-control") }).toEqual({ what, cache: "no-store" });
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("x-frame-options")).toBe("DENY");
  // Not in development or test: it would pin http://localhost to https.
  expect(headers.get("strict-transport-security")).toBeNull();
}

test("Tessera's own pages: home, sign-in, account, confirmation link, password reset request, 404", async () => {
  const home = await navigate(anonymous, `${tessera.issuer}/`);
  expect(home.status).toBe(200);
  expectPageHeaders(home.headers, "home");

  const session = new BrowserSession(tessera.issuer);
  const login = await session.follow(demoAuthorizeUrl(tessera));
  expect(login.status).toBe(200);
  const loginPage = await navigate(session, `${tessera.issuer}${interactionPath(login)}`);
  expect(loginPage.body).toContain("action=\"/interaction/");
  expectPageHeaders(loginPage.headers, "sign-in");

  const account = await navigate(signedIn, `${tessera.issuer}/account`);
  expect(account.status).toBe(200);
  expectPageHeaders(account.headers, "account");

  const person = newPerson();
  const mark = mailMark(tessera);
  await register(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), person);
  const link = confirmLinkOf(await mailAfter(tessera, mark, { to: person.email, subject: "Confirm your email address" }));
  const confirm = await navigate(anonymous, link);
  expect(confirm.status).toBe(200);
  expectPageHeaders(confirm.headers, "confirmation link");

  const forgot = await navigate(anonymous, `${tessera.issuer}/password/forgot`);
  expect(forgot.status).toBe(200);
  expectPageHeaders(forgot.headers, "password reset request");

  const missing = await navigate(anonymous, `${tessera.issuer}/no-such-page`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get("cache-control")).toBe("no-store");
}, 60_000);

test("the provider's pages: an error it cannot redirect, the logout confirmation, the device code input", async () => {
  const error = await navigate(anonymous, `${tessera.issuer}/auth?client_id=no-such-client&response_type=code&scope=openid`);
  expect(error.status).toBe(400);
  expect(error.body).toContain("Sign-in could not continue");
  expectPageHeaders(error.headers, "provider error");

  const logout = await navigate(signedIn, `${tessera.issuer}/session/end`);
  expect(logout.status).toBe(200);
  expect(logout.body).toContain("op.logoutForm");
  expectPageHeaders(logout.headers, "logout confirmation");

  const device = await navigate(signedIn, `${tessera.issuer}/device`);
  expect(device.status).toBe(200);
  expect(device.body).toContain("user_code");
  expectPageHeaders(device.headers, "device code input");
});

test("form_post: the CSP allows the provider's auto-submit script by its sha256, nothing else inline", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Headers RP" }));
  const session = new BrowserSession(tessera.issuer);
  const plain = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid", redirect_uri: rpRedirectUri, state: "s1" })}`;
  expect((await authorize(session, plain, newPerson())).location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);

  const post = await navigate(session, `${tessera.issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid", redirect_uri: rpRedirectUri, state: "s2", response_mode: "form_post" })}`);
  expect(post.status).toBe(200);
  expect(post.body).toContain(`action="${rpRedirectUri}"`);
  expectPageHeaders(post.headers, "form_post");
  const script = /<script>([\s\S]*?)<\/script>/.exec(post.body)![1]!;
  const hash = `'sha256-${createHash("sha256").update(script).digest("base64")}'`;
  expect(directives(post.headers.get("content-security-policy")!)["script-src"]).toEqual(["'self'", hash]);
});

test("JSON answers (discovery, an API error, the token endpoint) carry no-store, nosniff and the CSP too", async () => {
  for (const [what, request] of [
    ["discovery", fetch(`${tessera.issuer}/.well-known/openid-configuration`)],
    ["token endpoint", fetch(`${tessera.issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=authorization_code&code=nope" })],
    ["SSF API", fetch(`${tessera.issuer}/ssf/stream`)],
  ] as const) {
    const response = await request;
    expect({ what, type: response.headers.get("content-type") }).toEqual({ what, type: expect.stringMatching(/^application\/json/) });
    expect({ what, cache: response.headers.get("cache-control") }).toEqual({ what, cache: "no-store" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(directives(response.headers.get("content-security-policy")!)["frame-ancestors"]).toEqual(["'none'"]);
  }
});

test("stylesheets stay cacheable", async () => {
  const home = await navigate(anonymous, `${tessera.issuer}/`);
  const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(home.body)![1]!;
  const response = await fetch(new URL(stylesheet, tessera.issuer));
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
});

/** A GET with headers fetch will not let us forge (Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on("error", reject);
  });
}

test("discovery names the issuer's endpoints whatever Host a request claims", async () => {
  const discovery = await rawGet(`${tessera.url}/.well-known/openid-configuration`, { host: "evil.example", "x-forwarded-host": "evil.example" });
  expect(discovery.status).toBe(200);
  const metadata = JSON.parse(discovery.body) as Record<string, unknown>;
  expect(metadata.issuer).toBe(tessera.issuer);
  expect(metadata.authorization_endpoint).toBe(`${tessera.issuer}/auth`);
  expect(metadata.token_endpoint).toBe(`${tessera.issuer}/token`);
  expect(discovery.body).not.toContain("evil.example");

  // The provider's redirects to its own pages (here: the interaction) too.
  const authorization = await rawGet(`${tessera.url}${demoAuthorizeUrl(tessera)}`, { host: "evil.example" });
  expect(authorization.status).toBe(303);
  expect(authorization.headers.location).toMatch(/^\/interaction\/|^http:\/\/localhost:\d+\/interaction\//);
  expect(authorization.headers.location).not.toContain("evil.example");
});

describe("in production", () => {
  let production: TestTessera;
  beforeAll(async () => {
    production = await startTestTessera({ env: { NODE_ENV: "production", ISSUER: "https://id.example.test", TRUST_PROXY: "true" } });
  }, 120_000);
  afterAll(async () => production?.close());

  test("every answer carries HSTS for at least a year, pages and JSON alike", async () => {
    for (const path of ["/healthz", "/.well-known/openid-configuration", "/password/forgot"]) {
      const response = await fetch(`${production.url}${path}`, { headers: { "x-forwarded-proto": "https" } });
      const hsts = response.headers.get("strict-transport-security");
      expect({ path, hsts }).toEqual({ path, hsts: expect.stringMatching(/^max-age=\d+; includeSubDomains$/) });
      expect(Number(/max-age=(\d+)/.exec(hsts!)![1])).toBeGreaterThanOrEqual(365 * 24 * 60 * 60);
    }
  });

  test("behind the trusted proxy, a forged X-Forwarded-Host does not reach discovery", async () => {
    const discovery = await rawGet(`${production.url}/.well-known/openid-configuration`, { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    const metadata = JSON.parse(discovery.body) as Record<string, unknown>;
    expect(metadata.issuer).toBe("https://id.example.test");
    expect(metadata.token_endpoint).toBe("https://id.example.test/token");
    expect(discovery.body).not.toContain("evil.example");
  });
});
