/** Sign-up, sign-in and consent through the real HTTP interaction pages. */
import { authorize, BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
});
afterAll(async () => tessera?.close());


test("a new user signs up, consents and the demo client receives a code", async () => {
  const session = new BrowserSession(tessera.issuer);
  const hop = await authorize(session, demoAuthorizeUrl(tessera), newPerson(), { mailbox: tessera.mailbox });
  expect(hop.location).toMatch(new RegExp(`^${tessera.issuer}/demo/callback\\?code=[\\w-]+&state=demo&iss=`));
  const page = await session.request(hop.location!);
  expect(page.body).toContain("http -f -a demo:demo-secret POST");
});

test("wrong password shows the form again with the message next to the field and the email kept", async () => {
  const person = newPerson();
  await authorize(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), person, { mailbox: tessera.mailbox });
  const session = new BrowserSession(tessera.issuer);
  const login = await session.follow(demoAuthorizeUrl(tessera));
  const again = await session.request(`${interactionPath(login)}/login`, { form: { email: person.email, password: "not the password" } });
  expect(again.status).toBe(401);
  expect(again.body).toContain('id="password-error"');
  expect(again.body).toContain("That email and password do not match an account.");
  expect(again.body).toContain(`value="${person.email}"`);
});

test("registration with a short password keeps the input and explains; a taken email answers like any other (see test/confirmation/registration.test.ts)", async () => {
  const person = newPerson();
  await authorize(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), person, { mailbox: tessera.mailbox });
  const session = new BrowserSession(tessera.issuer);
  const path = interactionPath(await session.follow(demoAuthorizeUrl(tessera)));
  const short = await session.request(`${path}/register`, { form: { name: "Bob", email: "bob@example.test", password: "short" } });
  expect(short.status).toBe(400);
  expect(short.body).toMatch(/id="password-error"[^>]*>.*at least 8 characters/s);
  expect(short.body).toContain('value="bob@example.test"');
  const taken = await session.request(`${path}/register`, { form: { name: "Bob", email: person.email.toUpperCase(), password: "long enough password" } });
  expect(taken.status).toBe(303);
  expect(taken.location).toBe(`${tessera.issuer}${path}/register/sent`);
  await tessera.jobs.whenIdle();
  const users = await tessera.db.prisma.email.count({ where: { owned: person.email.toLowerCase() } });
  expect(users).toBe(1);
});

test("denying consent returns access_denied to the client", async () => {
  const hop = await authorize(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), newPerson(), { consent: "deny", mailbox: tessera.mailbox });
  const params = new URL(hop.location!).searchParams;
  expect(params.get("error")).toBe("access_denied");
  expect(params.get("state")).toBe("demo");
});

test("a tampered interaction uid is refused with an explanation, not a crash", async () => {
  const session = new BrowserSession(tessera.issuer);
  await session.follow(demoAuthorizeUrl(tessera));
  const hop = await session.request("/interaction/not-the-real-uid");
  expect(hop.status).toBe(400);
  expect(hop.body).toContain("This sign-in has expired");
  expect(hop.body).not.toMatch(/at \w+ \(/);
});

test("an unregistered redirect URI gets an error page, never a redirect", async () => {
  const hop = await new BrowserSession(tessera.issuer).request(demoAuthorizeUrl(tessera, { redirect_uri: "https://evil.example/cb" }));
  expect(hop.status).toBe(400);
  expect(hop.location).toBeUndefined();
  expect(hop.body).toContain("has not registered");
  expect(hop.body).toContain("redirect_uri");
});

test("an unknown client gets an error page, never a redirect", async () => {
  const hop = await new BrowserSession(tessera.issuer).request(demoAuthorizeUrl(tessera, { client_id: "nobody" }));
  expect(hop.status).toBe(400);
  expect(hop.location).toBeUndefined();
  expect(hop.body).toContain("invalid_client");
});

test("an oversized form is refused with a page that says what to do, not a server error", async () => {
  const session = new BrowserSession(tessera.issuer);
  const path = interactionPath(await session.follow(demoAuthorizeUrl(tessera)));
  const hop = await session.request(`${path}/login`, { form: { email: "a@example.test", password: "x".repeat(64 * 1024) } });
  expect(hop.status).toBe(413);
  expect(hop.body).toContain("malformed or too large");
});

test("a form posted from another website is refused and changes nothing", async () => {
  const session = new BrowserSession(tessera.issuer);
  const path = interactionPath(await session.follow(demoAuthorizeUrl(tessera)));
  const response = await fetch(`${tessera.issuer}${path}/register`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", cookie: session.cookieHeader },
    body: new URLSearchParams({ name: "Mallory", email: "mallory@example.test", password: "long enough password" }),
    redirect: "manual",
  });
  expect(response.status).toBe(403);
  expect(await response.text()).toContain("sent from another website");
  expect(await tessera.db.prisma.email.count({ where: { normalized: "mallory@example.test" } })).toBe(0);
});
