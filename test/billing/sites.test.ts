/**
 * What sites see of plans: the `plan` scope's claims at userinfo, a plan change pushed as
 * a CAEP token-claims-change to sites granted that scope, and a client's required plan as a
 * sign-in step (a page naming the plan and linking to /account/billing; interaction_required
 * for prompt=none) that lets the sign-in continue once Stripe has confirmed the plan.
 */
import { authorize, BrowserSession, interactionPath, newPerson, type Hop } from "../support/browser-session.js";
import { openBilling, payAndNotify, startCheckout } from "../support/billing.js";
import { codeClient, registerClient, rpRedirectUri, type ClientMetadata } from "../support/clients.js";
import { redeemCode, userinfo } from "../support/code-exchange.js";
import { movableClock } from "../support/clock.js";
import { h1Of, textOf } from "../support/page-text.js";
import { startReceiver, type TestReceiver } from "../support/ssf-receiver.js";
import { startTesseraWithFakeStripe, type FakeStripe } from "../support/stripe-fake.js";
import type { TestTessera } from "../support/tessera.js";

const clock = movableClock();
let stripe: FakeStripe;
let tessera: TestTessera;
let receiver: TestReceiver | undefined;

beforeAll(async () => {
  ({ stripe, tessera } = await startTesseraWithFakeStripe(clock));
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await tessera?.close();
  await stripe?.close();
});

function authorizeUrl(client: ClientMetadata, extra: Record<string, string> = {}): string {
  return `${tessera.issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: client.scope ?? "openid", redirect_uri: rpRedirectUri, state: "st", ...extra })}`;
}

const codeOf = (hop: Hop) => (hop.location ? new URL(hop.location).searchParams.get("code") : null);

test("a client granted the plan scope reads the plan at userinfo and is pushed its change", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Plan Shop", scope: "openid plan" }));
  receiver = await startReceiver(tessera.issuer, client.client_id);
  await tessera.db.prisma.client.update({ where: { id: client.client_id }, data: { pushEndpoint: receiver.url } });
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const callback = await authorize(session, authorizeUrl(client), person);
  const { tokens } = await redeemCode(tessera, codeOf(callback)!, { id: client.client_id, secret: client.client_secret!, redirectUri: rpRedirectUri });
  const before = await userinfo(tessera, String(tokens.access_token));
  expect(before.claims).toMatchObject({ plan: "free" });
  expect(before.claims).not.toHaveProperty("plan_expires_at");

  const subscriptionId = await payAndNotify(stripe, await startCheckout(session, stripe, "year"));
  const periodEnd = (stripe.subscriptions.get(subscriptionId)!.items as { data: { current_period_end: number }[] }).data[0]!.current_period_end;
  const after = await userinfo(tessera, String(tokens.access_token));
  expect(after.claims).toMatchObject({ plan: "premium", plan_expires_at: periodEnd });

  const [pushed] = await receiver.waitFor(1);
  const change = pushed!.claims.events?.["https://schemas.openid.net/secevent/caep/event-type/token-claims-change"];
  expect(change?.claims).toEqual({ plan: "premium", plan_expires_at: periodEnd });
  expect(pushed!.claims.sub_id).toEqual({ format: "iss_sub", iss: tessera.issuer, sub: after.claims.sub });
});

test("a client that requires Premium shows a free account a page naming the plan, answers prompt=none with interaction_required, and lets the sign-in go on once Stripe confirms the plan", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Premium Club", scope: "openid" }), { requiredPlan: "premium", firstParty: true });
  const person = newPerson();
  const session = new BrowserSession(tessera.issuer);
  const step = await authorize(session, authorizeUrl(client), person);
  expect(step.status).toBe(403);
  expect(h1Of(step.body)).toBe("This site needs a plan");
  expect(textOf(step.body)).toContain("Premium Club is open to accounts on the Premium plan, and yours is not on it.");
  expect(step.body).toContain('href="/account/billing"');

  // Continuing without the plan shows the same page again.
  const again = await session.follow(`${interactionPath(step)}/plan`, { form: {} });
  expect(h1Of(again.body)).toBe("This site needs a plan");

  const silent = await session.follow(authorizeUrl(client, { prompt: "none" }));
  expect(new URL(silent.location!).searchParams.get("error")).toBe("interaction_required");

  // Subscribe in the same browser, then continue the waiting sign-in.
  const billing = await openBilling(session);
  expect(billing.plan).toBe("Free");
  await payAndNotify(stripe, await startCheckout(session, stripe));
  const resumed = await session.follow(authorizeUrl(client));
  expect(codeOf(resumed)).toBeTruthy();
  const quiet = await session.follow(authorizeUrl(client, { prompt: "none" }));
  expect(codeOf(quiet)).toBeTruthy();
});

test("the plan step's continue button finishes the waiting sign-in once the plan is in force", async () => {
  const client = await registerClient(tessera, codeClient({ client_name: "Premium Forum", scope: "openid" }), { requiredPlan: "premium", firstParty: true });
  const session = new BrowserSession(tessera.issuer);
  const step = await authorize(session, authorizeUrl(client), newPerson());
  expect(h1Of(step.body)).toBe("This site needs a plan");
  await payAndNotify(stripe, await startCheckout(session, stripe));
  const done = await session.follow(`${interactionPath(step)}/plan`, { form: {} });
  expect(codeOf(done)).toBeTruthy();
});
