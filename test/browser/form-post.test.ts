/**
 * response_mode=form_post in a real browser under Tessera's CSP: the provider's page posts
 * the response to the relying party by itself (its inline script allowed by hash), with no
 * CSP violation or console error on the way.
 */
import { startBrowser, type TestBrowser } from "../support/chromium.js";
import { authorize, BrowserSession, newPerson } from "../support/browser-session.js";
import { codeClient, registerClient, rpOrigin, rpRedirectUri } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
let browser: TestBrowser;

// Tessera and Chromium starting side by side: more than the default hook timeout on a busy machine.
beforeAll(async () => {
  [tessera, browser] = await Promise.all([startTestTessera(), startBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await tessera?.close();
});

test("the form_post page submits itself to the relying party, and the CSP blocks nothing", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Form Post RP" }));
  // Signed up and consented once over the scripted browser; Chromium gets its cookies.
  const session = new BrowserSession(tessera.issuer);
  const first = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid", redirect_uri: rpRedirectUri, state: "first" })}`;
  expect((await authorize(session, first, newPerson())).location).toMatch(/^https:\/\/rp\.example\.test\/cb\?code=/);
  const cookies = session
    .cookieHeaderFor("/auth")
    .split("; ")
    .filter(Boolean)
    .map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: `${tessera.issuer}/` }));

  const posted: { method: string; body: string }[] = [];
  const { context, page, watcher } = await browser.openPage({}, async (context) => {
    await context.addCookies(cookies);
    await context.route(`${rpOrigin}/**`, async (route) => {
      posted.push({ method: route.request().method(), body: route.request().postData() ?? "" });
      await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Relying party</title><p>Signed in" });
    });
  });
  const authorization = `${tessera.issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid", redirect_uri: rpRedirectUri, state: "posted", response_mode: "form_post" })}`;
  await page.goto(authorization);
  await page.waitForURL(rpRedirectUri);
  expect(await page.title()).toBe("Relying party");
  expect(posted).toHaveLength(1);
  expect(posted[0]!.method).toBe("POST");
  const fields = new URLSearchParams(posted[0]!.body);
  expect(fields.get("state")).toBe("posted");
  expect(fields.get("code")).toBeTruthy();
  expect(await watcher.take()).toEqual([]);
  await context.close();
}, 120_000);
