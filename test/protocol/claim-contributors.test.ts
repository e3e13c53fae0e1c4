/**
 * Claims another room adds under a scope of its own (src/accounts/claim-contributor.ts):
 * the claim reaches userinfo and the id_token when the client was granted the scope, and
 * not otherwise, and the contributor is not even asked then.
 */
import * as oidc from "openid-client";
import type { ClaimContributor } from "../../src/accounts/index.js";
import { authorize, BrowserSession, newPerson, type Person } from "../support/browser-session.js";
import { codeClient, registerClient, rpRedirectUri } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { checks, redirectOf, relyingParty } from "../support/relying-party.js";

const asked: string[] = [];
const teamClaims: ClaimContributor = {
  scope: "team",
  claims: ["team"],
  description: "Your team",
  async resolve(accountId) {
    asked.push(accountId);
    // Anything beyond the declared claims is dropped.
    return { team: `gold:${accountId}`, stripe_customer: "cus_secret" };
  },
};

let tessera: TestTessera;
let config: oidc.Configuration;
let session: BrowserSession;
let person: Person;
let signedUp = false;

beforeAll(async () => {
  tessera = await startTestTessera({ claimContributors: [teamClaims] });
  config = await relyingParty(tessera, await registerClient(tessera, codeClient({ client_name: "Team RP" })));
  session = new BrowserSession(tessera.issuer);
  person = newPerson();
});
afterAll(async () => tessera?.close());

async function signIn(scope: string, onConsentPage?: (html: string) => void) {
  const c = await checks();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: rpRedirectUri,
    scope,
    state: c.state,
    nonce: c.nonce,
    code_challenge: c.codeChallenge,
    code_challenge_method: "S256",
  });
  if (onConsentPage) {
    // Already signed in: the next page is the consent for what is new.
    const consent = await session.follow(url.href);
    onConsentPage(consent.body);
  }
  const callback = redirectOf(await authorize(session, url.href, person, { existing: signedUp }));
  signedUp = true;
  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: c.pkceCodeVerifier, expectedState: c.state, expectedNonce: c.nonce });
  return { tokens, userinfo: await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub) };
}

test("discovery lists the contributed scope and claim", () => {
  const metadata = config.serverMetadata();
  expect(metadata.scopes_supported).toContain("team");
  expect(metadata.claims_supported).toContain("team");
});

test("without the scope, userinfo has no team and the contributor is not asked", async () => {
  const { userinfo } = await signIn("openid email");
  expect(userinfo.email).toBe(person.email);
  expect(userinfo).not.toHaveProperty("team");
  expect(asked).toEqual([]);
});

test("with the scope, consent names it in the contributor's words, and userinfo carries its claim and nothing else of it", async () => {
  const { userinfo } = await signIn("openid email team", (html) => expect(html).toContain("<li>Your team</li>"));
  expect(userinfo.team).toBe(`gold:${userinfo.sub}`);
  expect(userinfo.email).toBe(person.email);
  expect(userinfo).not.toHaveProperty("stripe_customer");
  expect(asked).toContain(userinfo.sub);
});
