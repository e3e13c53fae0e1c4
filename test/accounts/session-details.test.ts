/**
 * Active sessions on /account say where each was last used: the browser (from its
 * User-Agent), its address as Tessera sees it (X-Forwarded-For only with TRUST_PROXY) and
 * when.
 */
import { BrowserSession, newPerson } from "../support/browser-session.js";
import { textOf } from "../support/page-text.js";
import { signIn, signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ env: { TRUST_PROXY: "true" } });
});
afterAll(async () => tessera?.close());

const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

test("each session shows its browser, address and last use", async () => {
  const person = newPerson();
  const here = new BrowserSession(tessera.issuer, { "user-agent": firefox, "x-forwarded-for": "203.0.113.7" });
  await signUp(tessera, person, here);
  await signIn(tessera, person.email, person.password, new BrowserSession(tessera.issuer, { "user-agent": safari, "x-forwarded-for": "198.51.100.23" }));
  const page = textOf((await here.follow("/account")).body);
  const sessions = page.slice(page.indexOf("Active sessions"), page.indexOf("Recent security activity"));
  expect(sessions).toMatch(/Firefox on Windows · IP address 203\.0\.113\.7 · last used \d{1,2} \w+ \d{4} at \d\d:\d\d UTC/);
  expect(sessions).toMatch(/Safari on iOS · IP address 198\.51\.100\.23 · last used/);
});
