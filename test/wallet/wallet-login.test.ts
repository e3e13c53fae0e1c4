/**
 * Wallet sign-up and sign-in (EIP-4361) through the JSON API, with keys made here signing
 * real messages: every field of the message is checked, a nonce works once, sign-up takes
 * the operator's fields, and one address is one account.
 */
import { createSiweMessage, parseSiweMessage } from "viem/siwe";
import { BrowserSession } from "../support/browser-session.js";
import type { ClientMetadata } from "../support/clients.js";
import { movableClock } from "../support/clock.js";
import { mailAfter, mailMark } from "../support/mailbox.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { challenge, claimsAfter, newWallet, openSignIn, postJson, signedChallenge, walletClient } from "../support/wallet.js";

const clock = movableClock();
let tessera: TestTessera;
let client: ClientMetadata;

beforeAll(async () => {
  tessera = await startTestTessera({ clock, env: { WALLET_CHAIN_IDS: "1,10", WALLET_SIGN_UP_FIELDS: "name:required,email:optional" } });
  client = await walletClient(tessera);
}, 180_000);
afterAll(() => tessera.close());

/** A new browser at the sign-in page, with its API paths. */
async function atSignIn() {
  const session = new BrowserSession(tessera.issuer);
  const path = await openSignIn(session, client);
  return { session, path, challengePath: `${path}/wallet/challenge`, signInPath: `${path}/wallet/sign-in`, signUpPath: `${path}/wallet/sign-up` };
}

async function signUpWith(wallet = newWallet(), fields: Record<string, string> = { name: "Wallet Owner" }) {
  const at = await atSignIn();
  const signed = await signedChallenge(tessera, at.session, at.challengePath, wallet);
  const answer = await postJson(at.session, tessera.issuer, at.signUpPath, { ...signed, ...fields });
  return { ...at, wallet, answer };
}

/** Re-signs a message rebuilt with some fields changed, keeping the server's nonce. */
async function forged(at: Awaited<ReturnType<typeof atSignIn>>, wallet: ReturnType<typeof newWallet>, change: Record<string, unknown>) {
  const issued = (await challenge(tessera, at.session, at.challengePath, wallet)).body.message as string;
  const parsed = parseSiweMessage(issued);
  const message = createSiweMessage({ ...(parsed as Parameters<typeof createSiweMessage>[0]), ...change });
  return postJson(at.session, tessera.issuer, at.signInPath, { message, signature: await wallet.signMessage({ message }) });
}

describe("wallet sign-up and sign-in", () => {
  it("signs up with a signature and a name, then signs in again with the same wallet: the same sub, whatever the address's case", async () => {
    const { session, wallet, answer } = await signUpWith();
    expect(answer.status).toBe(200);
    expect(answer.body.redirect_url).toMatch(new RegExp(`^${tessera.issuer}/auth/`));
    const claims = await claimsAfter(tessera, session, answer.body.redirect_url as string, client);
    expect(claims.name).toBe("Wallet Owner");
    expect(claims.sub).not.toContain(wallet.address);

    const again = await atSignIn();
    const lower = { ...wallet, address: wallet.address.toLowerCase() as `0x${string}` };
    const issued = await challenge(tessera, again.session, again.challengePath, lower, 10);
    expect(issued.status).toBe(200);
    expect(issued.body.message).toContain(wallet.address); // EIP-55 form in the message
    const message = issued.body.message as string;
    const signIn = await postJson(again.session, tessera.issuer, again.signInPath, { message, signature: await wallet.signMessage({ message }) });
    expect(signIn.status).toBe(200);
    expect((await claimsAfter(tessera, again.session, signIn.body.redirect_url as string, client)).sub).toBe(claims.sub);

    const stored = await tessera.db.prisma.walletAddress.findMany({ where: { userId: claims.sub as string } });
    expect(stored.map((row) => row.address)).toEqual([wallet.address]);
  });

  it("uses a nonce once, whether its signature was good or not", async () => {
    const { wallet } = await signUpWith();
    const at = await atSignIn();
    const signed = await signedChallenge(tessera, at.session, at.challengePath, wallet, newWallet());
    const bad = await postJson(at.session, tessera.issuer, at.signInPath, signed);
    expect(bad).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    const goodSignature = await wallet.signMessage({ message: signed.message });
    const replay = await postJson(at.session, tessera.issuer, at.signInPath, { message: signed.message, signature: goodSignature });
    expect(replay).toMatchObject({ status: 400, body: { error: "challenge_used" } });

    const fresh = await signedChallenge(tessera, at.session, at.challengePath, wallet);
    expect((await postJson(at.session, tessera.issuer, at.signInPath, fresh)).status).toBe(200);
    expect(await postJson(at.session, tessera.issuer, at.signInPath, fresh)).toMatchObject({ status: 400, body: { error: "challenge_used" } });
  });

  it("refuses a message signed for another browser's sign-in", async () => {
    const { wallet } = await signUpWith();
    const mine = await atSignIn();
    const theirs = await atSignIn();
    const signed = await signedChallenge(tessera, theirs.session, theirs.challengePath, wallet);
    expect(await postJson(mine.session, tessera.issuer, mine.signInPath, signed)).toMatchObject({ status: 400, body: { error: "challenge_used" } });
  });

  it("refuses an expired message", async () => {
    const { wallet } = await signUpWith();
    const at = await atSignIn();
    const signed = await signedChallenge(tessera, at.session, at.challengePath, wallet);
    clock.advance(5 * 60 + 1);
    expect(await postJson(at.session, tessera.issuer, at.signInPath, signed)).toMatchObject({ status: 400, body: { error: "challenge_expired" } });
  });

  it("refuses a message for another domain or another URI, even signed by the right key", async () => {
    const { wallet } = await signUpWith();
    const at = await atSignIn();
    expect(await forged(at, wallet, { domain: "evil.example" })).toMatchObject({ status: 400, body: { error: "wrong_domain" } });
    expect(await forged(at, wallet, { uri: "https://evil.example/login" })).toMatchObject({ status: 400, body: { error: "wrong_domain" } });
    // The genuine message still signs in: the refusals were about the fields, not the wallet.
    const signed = await signedChallenge(tessera, at.session, at.challengePath, wallet);
    expect((await postJson(at.session, tessera.issuer, at.signInPath, signed)).status).toBe(200);
  });

  it("refuses a chain outside the allow-list, when asking and in a signed message", async () => {
    const { wallet } = await signUpWith();
    const at = await atSignIn();
    expect(await challenge(tessera, at.session, at.challengePath, wallet, 5)).toMatchObject({ status: 400, body: { error: "wrong_chain" } });
    expect(await forged(at, wallet, { chainId: 5 })).toMatchObject({ status: 400, body: { error: "wrong_chain" } });
  });

  it("refuses a signature by another key, and a message altered after signing", async () => {
    const { wallet } = await signUpWith();
    const at = await atSignIn();
    const byOther = await signedChallenge(tessera, at.session, at.challengePath, wallet, newWallet());
    expect(await postJson(at.session, tessera.issuer, at.signInPath, byOther)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    const signed = await signedChallenge(tessera, at.session, at.challengePath, wallet);
    const altered = signed.message.replace("Sign in to Tessera with this wallet.", "Sign in to Tessera with this wallet!");
    expect(altered).not.toBe(signed.message);
    const answer = await postJson(at.session, tessera.issuer, at.signInPath, { message: altered, signature: signed.signature });
    expect(answer).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    expect(answer.body.error_description).toMatch(/only ordinary/);
  });

  it("answers unknown_wallet for a wallet with no account", async () => {
    const at = await atSignIn();
    const signed = await signedChallenge(tessera, at.session, at.challengePath, newWallet());
    expect(await postJson(at.session, tessera.issuer, at.signInPath, signed)).toMatchObject({ status: 404, body: { error: "unknown_wallet" } });
  });

  it("requires the fields the operator requires, before using up the challenge", async () => {
    const at = await atSignIn();
    const wallet = newWallet();
    const signed = await signedChallenge(tessera, at.session, at.challengePath, wallet);
    const missing = await postJson(at.session, tessera.issuer, at.signUpPath, signed);
    expect(missing).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "Enter your name." } });
    expect((await postJson(at.session, tessera.issuer, at.signUpPath, { ...signed, name: "Late Name" })).status).toBe(200);
  });

  it("sends an email given at sign-up through the confirmation link; it stays unverified until then", async () => {
    const email = `wallet.${Date.now()}@example.test`;
    const mark = mailMark(tessera);
    const { session, answer } = await signUpWith(newWallet(), { name: "Mail Person", email });
    expect(answer.status).toBe(200);
    await mailAfter(tessera, mark, { to: email, subject: "Confirm your email address" });
    const claims = await claimsAfter(tessera, session, answer.body.redirect_url as string, client);
    expect(claims).toMatchObject({ email, email_verified: false });
  });

  it("gives one account per wallet when the same wallet signs up twice at once", async () => {
    const wallet = newWallet();
    const answers = await Promise.all([signUpWith(wallet), signUpWith(wallet)]);
    expect(answers.map((one) => one.answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((one) => one.answer.status === 409)!.answer.body.error).toBe("wallet_taken");
    expect(await tessera.db.prisma.walletAddress.count({ where: { normalized: wallet.address.toLowerCase() } })).toBe(1);
  });

  it("gives one account per email address when two wallets race to sign up with it", async () => {
    const email = `race.${Date.now()}@example.test`;
    const answers = await Promise.all([signUpWith(newWallet(), { name: "A", email }), signUpWith(newWallet(), { name: "B", email })]);
    expect(answers.map((one) => one.answer.status).sort()).toEqual([200, 409]);
    const loser = answers.find((one) => one.answer.status === 409)!;
    expect(loser.answer.body).toMatchObject({ error: "email_taken", error_description: expect.stringMatching(/already exists/) });
    expect(await tessera.db.prisma.walletAddress.count({ where: { normalized: loser.wallet.address.toLowerCase() } })).toBe(0);
  });

  it("refuses the API from another site, and a redirect never leaves the interaction", async () => {
    const at = await atSignIn();
    const crossSite = await postJson(at.session, tessera.issuer, at.challengePath, { address: newWallet().address, chainId: 1 }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    const evilOrigin = await postJson(at.session, tessera.issuer, at.challengePath, { address: newWallet().address, chainId: 1 }, { origin: "https://evil.example" });
    expect(evilOrigin.status).toBe(403);
    const withNext = await postJson(at.session, tessera.issuer, at.signUpPath, {
      ...(await signedChallenge(tessera, at.session, at.challengePath, newWallet())),
      name: "N",
      redirect_url: "https://evil.example",
      next: "https://evil.example",
    });
    expect(withNext.body.redirect_url).toBe(`${tessera.issuer}${at.path.replace("/interaction/", "/auth/")}`);
  });

  it("shows the wallet button on the sign-in page, loading its script from this site", async () => {
    const session = new BrowserSession(tessera.issuer);
    const hop = await session.follow(`/auth?${new URLSearchParams({ client_id: client.client_id, response_type: "code", scope: "openid", redirect_uri: client.redirect_uris![0]! })}`);
    expect(hop.body).toContain("Sign in with a wallet");
    expect(hop.body).toContain('<script src="/assets/wallet.js" defer></script>');
    expect(hop.body).toContain("Only ordinary wallets work here");
    expect(hop.body).not.toMatch(/<script>|onclick=/);
  });
});

describe("with wallet sign-up switched off", () => {
  let closed: TestTessera;
  beforeAll(async () => {
    closed = await startTestTessera({ env: { WALLET_SIGN_UP: "false" } });
  }, 180_000);
  afterAll(() => closed.close());

  it("refuses sign-up with signup_disabled, and the pages say so", async () => {
    const own = await walletClient(closed);
    const session = new BrowserSession(closed.issuer);
    const path = await openSignIn(session, own);
    const wallet = newWallet();
    const answer = await postJson(session, closed.issuer, `${path}/wallet/challenge`, { address: wallet.address, chainId: 1 });
    const message = answer.body.message as string;
    const refused = await postJson(session, closed.issuer, `${path}/wallet/sign-up`, { message, signature: await wallet.signMessage({ message }), name: "N" });
    expect(refused).toMatchObject({ status: 403, body: { error: "signup_disabled" } });
    const page = await session.request(`${path}/wallet/new`);
    expect(page.status).toBe(403);
    expect(page.body).toContain("New accounts cannot be created with a wallet here");
    expect((await session.request(path)).body).toContain("New accounts cannot be created with a wallet here");
  });
});
