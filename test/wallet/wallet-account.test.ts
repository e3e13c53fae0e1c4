/**
 * Wallets on the account page: a password account links a wallet (proved by a signature
 * over a challenge bound to the account) and unlinks it; a wallet-only account cannot
 * unlink its only way in; a wallet signs in to one account only. Links and unlinks are
 * recorded as domain events for the audit trail.
 */
import { BrowserSession } from "../support/browser-session.js";
import type { ClientMetadata } from "../support/clients.js";
import { accountIdOf, openAccount } from "../support/account-page.js";
import { demoAuthorizeUrl } from "../support/demo.js";
import { noticeOf } from "../support/page-text.js";
import { signUp } from "../support/sign-up.js";
import { startTestTessera, type TestTessera } from "../support/tessera.js";
import { claimsAfter, newWallet, openSignIn, postJson, signedChallenge, walletClient } from "../support/wallet.js";

let tessera: TestTessera;
let client: ClientMetadata;

beforeAll(async () => {
  tessera = await startTestTessera();
  client = await walletClient(tessera);
}, 180_000);
afterAll(() => tessera.close());

type Wallet = ReturnType<typeof newWallet>;

async function link(session: BrowserSession, wallet: Wallet) {
  const signed = await signedChallenge(tessera, session, "/account/wallets/challenge", wallet);
  return postJson(session, tessera.issuer, "/account/wallets", signed);
}

/** Signs in with the wallet in a new browser: the JSON API's answer, and the sub when it worked. */
async function walletSignIn(wallet: Wallet): Promise<{ status: number; error?: unknown; sub?: unknown }> {
  const session = new BrowserSession(tessera.issuer);
  const path = await openSignIn(session, client);
  const signed = await signedChallenge(tessera, session, `${path}/wallet/challenge`, wallet);
  const answer = await postJson(session, tessera.issuer, `${path}/wallet/sign-in`, signed);
  if (answer.status !== 200) return { status: answer.status, error: answer.body.error };
  return { status: 200, sub: (await claimsAfter(tessera, session, answer.body.redirect_url as string, client)).sub };
}

async function walletSignUp(wallet: Wallet): Promise<{ session: BrowserSession; sub: string }> {
  const session = new BrowserSession(tessera.issuer);
  const path = await openSignIn(session, client);
  const signed = await signedChallenge(tessera, session, `${path}/wallet/challenge`, wallet);
  const answer = await postJson(session, tessera.issuer, `${path}/wallet/sign-up`, { ...signed, name: "Only Wallet" });
  expect(answer.status).toBe(200);
  return { session, sub: (await claimsAfter(tessera, session, answer.body.redirect_url as string, client)).sub as string };
}

const unlinkPath = (wallet: Wallet) => `/account/wallets/${wallet.address}/unlink`;

async function eventsOf(accountId: string, type: string) {
  return tessera.db.prisma.domainEvent.findMany({ where: { accountId, type } });
}

describe("wallets on the account page", () => {
  it("lets a password account link a wallet, sign in with it, and unlink it", async () => {
    const { session, person } = await signUp(tessera);
    const accountId = await accountIdOf(tessera, person.email);
    const wallet = newWallet();

    const linked = await link(session, wallet);
    expect(linked).toMatchObject({ status: 200, body: { address: wallet.address } });
    expect((await openAccount(session)).body).toContain(wallet.address);
    expect(await eventsOf(accountId, "account.wallet-linked")).toHaveLength(1);
    expect(await walletSignIn(wallet)).toEqual({ status: 200, sub: accountId });

    const unlinked = await session.follow(unlinkPath(wallet), { form: {} });
    expect(unlinked.status).toBe(200);
    expect(noticeOf(unlinked.body)).toBe(`The wallet ${wallet.address} no longer signs in to your account.`);
    expect(unlinked.body).not.toContain(`<code class="row-title wallet-address">${wallet.address}</code>`);
    expect(await eventsOf(accountId, "account.wallet-unlinked")).toHaveLength(1);
    expect(await walletSignIn(wallet)).toMatchObject({ status: 404, error: "unknown_wallet" });
  });

  it("refuses to link a wallet that signs in to another account, or without a session", async () => {
    const wallet = newWallet();
    await walletSignUp(wallet);
    const { session } = await signUp(tessera);
    expect(await link(session, wallet)).toMatchObject({ status: 409, body: { error: "wallet_taken" } });

    const stranger = new BrowserSession(tessera.issuer);
    expect(await postJson(stranger, tessera.issuer, "/account/wallets/challenge", { address: newWallet().address, chainId: 1 })).toMatchObject({
      status: 401,
      body: { error: "login_required" },
    });
  });

  it("keeps a wallet-only account's last way in, until another wallet is linked", async () => {
    const first = newWallet();
    const { session, sub } = await walletSignUp(first);
    const page = await openAccount(session);
    expect(page.body).toContain(first.address);
    // A client that requires a confirmed address says how to add one.
    expect((await session.follow(demoAuthorizeUrl(tessera))).body).toContain("Your account has no email address yet");

    const refused = await session.follow(unlinkPath(first), { form: {} });
    expect(refused.status).toBe(409);
    expect(noticeOf(refused.body)).toMatch(/only way to sign in/);
    expect(await walletSignIn(first)).toEqual({ status: 200, sub });

    const second = newWallet();
    expect((await link(session, second)).status).toBe(200);
    expect((await session.follow(unlinkPath(first), { form: {} })).status).toBe(200);
    expect(await walletSignIn(second)).toEqual({ status: 200, sub });
    expect(await eventsOf(sub, "account.wallet-linked")).toHaveLength(2);
  });

  it("refuses an unlink posted from another site", async () => {
    const wallet = newWallet();
    const { session } = await walletSignUp(wallet);
    await link(session, newWallet());
    const response = await fetch(new URL(unlinkPath(wallet), tessera.issuer), {
      method: "POST",
      headers: { cookie: session.cookieHeaderFor(unlinkPath(wallet)), "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    expect(response.status).toBe(403);
    expect((await openAccount(session)).body).toContain(wallet.address);
  });
});
