/**
 * The login-method seam: a method added next to password shows its panel on the login
 * page, handles its own route under the interaction, and ends like password does — the
 * interaction finishes with a login for an account, and the client gets that account.
 */
import { pathTo } from "../../src/http/edge/index.js";
import type { LoginMethod } from "../../src/interactions/login-method.js";
import { authorize, BrowserSession, interactionPath, newPerson } from "../support/browser-session.js";
import { demoAuthorizeUrl, demoSecret } from "../support/demo.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";

/** Signs in as whichever account the test chose: the smallest possible method. */
let chosenAccountId = "";
const paths = { go: "/interaction/:uid/as-chosen" } as const;
const chosenAccount: LoginMethod = {
  name: "chosenAccount",
  paths,
  async panel(_ctx, details) {
    return { view: "interactions/method-button", locals: { label: "Continue as the chosen account", action: pathTo(paths.go, { uid: details.uid }) } };
  },
  mount(router, kit) {
    router.post(paths.go, async (ctx) => {
      await kit.interaction(ctx);
      await kit.finishLogin(ctx, chosenAccountId);
    });
  },
};

let tessera: TestTessera;
beforeAll(async () => {
  tessera = await startTestTessera({ loginMethods: [chosenAccount] });
});
afterAll(async () => tessera?.close());

test("the login page lists every method, and another method's login reaches the client as that account", async () => {
  const person = newPerson();
  await authorize(new BrowserSession(tessera.issuer), demoAuthorizeUrl(tessera), person, { mailbox: tessera.mailbox });
  const owned = await tessera.db.prisma.email.findFirst({ where: { normalized: person.email.toLowerCase() } });
  chosenAccountId = owned!.userId;

  const session = new BrowserSession(tessera.issuer);
  const login = await session.follow(demoAuthorizeUrl(tessera));
  const path = interactionPath(login);
  expect(login.body).toContain(`action="${path}/login"`);
  expect(login.body).toContain(`action="${path}/as-chosen"`);
  expect(login.body).toContain("Continue as the chosen account");

  let hop = await session.follow(`${path}/as-chosen`, { form: {} });
  if (hop.body.includes('/consent"')) hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  const code = new URL(hop.location!).searchParams.get("code");
  expect(code).toBeTruthy();

  const token = await fetch(`${tessera.issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`demo:${demoSecret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: `${tessera.issuer}/demo/callback` }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const me = (await (await fetch(`${tessera.issuer}/me`, { headers: { authorization: `Bearer ${access_token}` } })).json()) as { sub: string; email: string };
  expect(me.sub).toBe(chosenAccountId);
  expect(me.email).toBe(person.email);
});
