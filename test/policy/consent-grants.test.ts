/**
 * The consent page's Allow: one grant per application and account in a browser session,
 * however many tabs asked, and each Allow in the audit trail, as an organisation's consent is.
 */
import { accountIdOf } from "../support/account-page.js";
import { BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { registerAndConfirm } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera();
}, 60_000);
afterAll(async () => tessera?.close());

test("two tabs signing in to one application, each allowed, leave one grant; both Allows are audited", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Two-tab RP" }));
  const session = new BrowserSession(tessera.issuer);
  const person = newPerson();
  const url = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile email", redirect_uri: rpRedirectUri, state: "st" })}`;
  const first = await registerAndConfirm(session, url, person);
  expect(first.body).toContain('/consent"');
  // A second tab starts the same sign-in: the same browser, already signed in, at consent too.
  const second = await session.follow(url);
  expect(second.body).toContain('/consent"');
  expect(interactionPath(second)).not.toBe(interactionPath(first));

  for (const tab of [second, first]) {
    const allowed = await session.request(`${interactionPath(tab)}/consent`, { form: { decision: "allow" } });
    expect(allowed.status).toBe(303);
    expect((await session.follow(allowed.location!)).location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);
  }

  const accountId = await accountIdOf(tessera, person.email);
  const grants = await tessera.db.prisma.oidcModel.findMany({ where: { model: "Grant", payload: { path: ["accountId"], equals: accountId } } });
  expect(grants.filter((grant) => (grant.payload as { clientId?: string }).clientId === client.client_id)).toHaveLength(1);

  const audited = await tessera.db.prisma.auditRecord.findMany({ where: { accountId, type: "account.application-consent-given" } });
  expect(audited).toHaveLength(2);
  expect(audited[0]).toMatchObject({ clientId: client.client_id, detail: { scopes: ["openid", "profile", "email"] } });
  expect(audited[0]!.userAgent).toBeTruthy();
});

test("the same account signing in to the application in another browser gets a grant of its own", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Two-browser RP" }));
  const person = newPerson();
  const url = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid profile", redirect_uri: rpRedirectUri, state: "st" })}`;
  const laptop = new BrowserSession(tessera.issuer);
  const consent = await registerAndConfirm(laptop, url, person);
  expect((await laptop.request(`${interactionPath(consent)}/consent`, { form: { decision: "allow" } })).status).toBe(303);

  const phone = new BrowserSession(tessera.issuer);
  const login = await phone.follow(url);
  const atConsent = await phone.follow(`${interactionPath(login)}/login`, { form: { email: person.email, password: person.password } });
  expect(atConsent.body).toContain('/consent"');
  expect((await phone.request(`${interactionPath(atConsent)}/consent`, { form: { decision: "allow" } })).status).toBe(303);

  const accountId = await accountIdOf(tessera, person.email);
  const grants = await tessera.db.prisma.oidcModel.findMany({ where: { model: "Grant", payload: { path: ["accountId"], equals: accountId } } });
  expect(grants.filter((grant) => (grant.payload as { clientId?: string }).clientId === client.client_id)).toHaveLength(2);
});
