/**
 * RFC 8628 device authorization grant as a device (openid-client) and a person with a
 * browser see it: the device gets a user code and where to enter it; the person enters
 * it on Tessera's "Connect a device" page, confirms it, signs in and consents; the device
 * then polls its tokens. Wrong codes, a reused device code and a cancelled confirmation
 * are refused the way RFC 8628 §3.5 says.
 */
import * as oidc from "openid-client";
import { BrowserSession, interactionPath, newPerson, registerAt, type Hop, type Person } from "../support/browser-session.js";
import { registerClient, uniqueClientId, type ClientMetadata } from "../support/clients.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { rejection, relyingParty } from "../support/relying-party.js";
import { formById, htmlForm, labelledInput } from "../support/page-text.js";
import { storedCopiesOf } from "../support/stored-secrets.js";

const deviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

let tessera: TestTessera;
let client: ClientMetadata;
let config: oidc.Configuration;
/** One person and browser: signed up during the first device sign-in, reused later. */
let person: Person;
let session: BrowserSession;

beforeAll(async () => {
  tessera = await startTestTessera();
  client = await registerClient(tessera, {
    client_id: uniqueClientId("device"),
    client_name: "Living Room TV",
    token_endpoint_auth_method: "none",
    grant_types: [deviceCodeGrant, "refresh_token"],
    response_types: [],
    redirect_uris: [],
  });
  config = await relyingParty(tessera, client, { auth: oidc.None() });
  person = newPerson();
  session = new BrowserSession(tessera.issuer);
});
afterAll(async () => tessera?.close());

/** A device token request by hand (a public client names itself in the body). */
async function pollOnce(deviceCode: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(config.serverMetadata().token_endpoint!, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: deviceCodeGrant, device_code: deviceCode, client_id: client.client_id }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Submits the "Connect a device" form on `page` with `code`. */
async function enterCode(page: Hop, code: string): Promise<Hop> {
  const form = htmlForm(page.body, /name="user_code"/);
  return session.follow(form.action, { form: { ...form.fields, user_code: code } });
}

/** From the sign-in page the confirmation led to: sign up (or in) and consent, as a person would. */
async function signInAndConsent(hop: Hop, existing: boolean): Promise<Hop> {
  if (hop.status === 200 && hop.body.includes('action="/interaction/')) {
    const path = interactionPath(hop);
    hop = existing
      ? await session.follow(`${path}/login`, { form: { email: person.email, password: person.password } })
      : await registerAt(session, path, person);
  }
  if (hop.status === 200 && hop.body.includes('/consent"')) {
    hop = await session.follow(`${interactionPath(hop)}/consent`, { form: { decision: "allow" } });
  }
  return hop;
}

let signedUp = false;
let connected: { device: oidc.DeviceAuthorizationResponse } | undefined;

describe("a device connected by a person", () => {
  let device: oidc.DeviceAuthorizationResponse;

  test("device authorization returns a device code, a user code and where to enter it", async () => {
    device = await oidc.initiateDeviceAuthorization(config, { scope: "openid profile email offline_access" });
    expect(typeof device.device_code).toBe("string");
    expect(device.user_code).toMatch(/^[A-Z]{4}-?[A-Z]{4}$/);
    expect(device.verification_uri).toBe(`${tessera.issuer}/device`);
    const complete = new URL(device.verification_uri_complete!);
    expect(`${complete.origin}${complete.pathname}`).toBe(device.verification_uri);
    expect(complete.searchParams.get("user_code")).toBe(device.user_code);
    expect(device.expires_in).toBeGreaterThan(0);
    expect(device.interval ?? 5).toBeGreaterThan(0);
  });

  test("before anyone enters the code, polling answers authorization_pending", async () => {
    const poll = await pollOnce(device.device_code);
    expect(poll.status).toBe(400);
    expect(poll.body.error).toBe("authorization_pending");
  });

  test("the verification page is Tessera's 'Connect a device' page with a labelled Code field", async () => {
    const page = await session.follow(device.verification_uri);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<title>Connect a device · Tessera<\/title>/);
    expect(page.body).toContain('class="brand-name">Tessera<');
    const field = labelledInput(page.body, "user_code");
    expect(field.label).toBe("Code");
    expect(field.input).toMatch(/type="text"/);
    expect(field.input).not.toMatch(/aria-invalid/);
  });

  test("a wrong code shows the page again with status 400 and the error tied to the field", async () => {
    const page = await session.follow(device.verification_uri);
    const wrong = await enterCode(page, "BCDF-GHJK");
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatch(/<title>Error: Connect a device · Tessera<\/title>/);
    const field = labelledInput(wrong.body, "user_code");
    expect(field.label).toBe("Code");
    expect(field.input).toMatch(/aria-invalid="true"/);
    expect(field.input).toMatch(/aria-describedby="user_code-error"/);
    expect(wrong.body).toMatch(/<p class="error" id="user_code-error">[\s\S]*?That code is not right/);
    // Still a form to try again, with a fresh anti-forgery token.
    expect(htmlForm(wrong.body, /name="user_code"/).fields.xsrf).toBeTruthy();
  });

  test("the right code → 'Confirm the device' showing the code → Yes → sign in → 'Device connected'", async () => {
    const page = await session.follow(device.verification_uri);
    const confirm = await enterCode(page, device.user_code);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toMatch(/<title>Confirm the device · Tessera<\/title>/);
    expect(confirm.body).toContain("Living Room TV");
    expect(confirm.body).toContain(`<code>${device.user_code}</code>`);
    expect(confirm.body).toMatch(/<button type="submit" form="op\.deviceConfirmForm" class="primary">Yes, connect it<\/button>/);

    // "Yes, connect it" submits the confirmation form as it is (no abort field).
    const form = formById(confirm.body, "op.deviceConfirmForm");
    const signIn = await session.follow(form.action, { form: form.fields });
    // node-oidc-provider asks who the person is only after the code is confirmed.
    expect(signIn.status).toBe(200);
    expect(signIn.url).toMatch(/\/interaction\//);

    const done = await signInAndConsent(signIn, signedUp);
    signedUp = true;
    expect(done.status).toBe(200);
    expect(done.location).toBeUndefined();
    expect(done.body).toMatch(/<title>Device connected · Tessera<\/title>/);
    expect(done.body).toContain("Living Room TV");
  });

  test("polling now yields tokens: an id_token naming the person, an access token that works at userinfo", async () => {
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(typeof tokens.refresh_token).toBe("string");
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(tessera.issuer);
    expect(claims.aud).toBe(client.client_id);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: claims.sub, email: person.email, name: person.name });
    // The device code and the tokens are stored only as hashes.
    const secrets = { deviceCode: device.device_code, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
    expect(await storedCopiesOf(tessera.db.prisma, secrets)).toEqual([]);
    connected = { device };
  });

  test("the device code cannot be redeemed a second time: invalid_grant", async () => {
    expect(connected).toBeDefined();
    const again = await pollOnce(device.device_code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
    // Nor via openid-client (which would otherwise keep polling).
    const error = await rejection(oidc.pollDeviceAuthorizationGrant(config, { ...device, interval: 0 }));
    expect(error.error).toBe("invalid_grant");
  });

  test("an entered code that was already used is refused on the page too", async () => {
    const page = await session.follow(device.verification_uri);
    const used = await enterCode(page, device.user_code);
    expect(used.status).toBe(400);
    expect(labelledInput(used.body, "user_code").input).toMatch(/aria-invalid="true"/);
    expect(used.body).not.toContain("Confirm the device");
  });
});

describe("verification_uri_complete", () => {
  test("opening it goes straight to the confirmation page for that code", async () => {
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid" });
    // The provider answers with a self-submitting form (so the code is posted with the
    // anti-forgery token); a browser submits it, here it is submitted by hand.
    const landing = await session.follow(device.verification_uri_complete!);
    expect(landing.status).toBe(200);
    const form = htmlForm(landing.body, /name="user_code"/);
    expect(form.fields.user_code).toBe(device.user_code);
    const confirm = await session.follow(form.action, { form: form.fields });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain("Confirm the device");
    expect(confirm.body).toContain(`<code>${device.user_code}</code>`);
  });
});

describe("a person who cancels", () => {
  test("Cancel on the confirmation page: the page says so and polling gives access_denied", async () => {
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid" });
    const page = await session.follow(device.verification_uri);
    const confirm = await enterCode(page, device.user_code);
    expect(confirm.body).toMatch(/<button type="submit" form="op\.deviceConfirmForm" name="abort" value="yes" class="secondary">Cancel<\/button>/);

    // The Cancel button submits the same form with abort=yes.
    const form = formById(confirm.body, "op.deviceConfirmForm");
    const cancelled = await session.follow(form.action, { form: { ...form.fields, abort: "yes" } });
    expect(cancelled.location).toBeUndefined();
    expect(cancelled.body).toMatch(/cancelled/i);
    expect(cancelled.body).not.toContain("Device connected");

    const error = await rejection(oidc.pollDeviceAuthorizationGrant(config, { ...device, interval: 0 }));
    expect(error.error).toBe("access_denied");
    // The refusal is final: the device code is spent.
    const again = await pollOnce(device.device_code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
  });
});
