/**
 * Wallet sign-in, sign-up and linking (Sign-In with Ethereum, EIP-4361). Rules:
 * - Tessera makes the message: a challenge for one address and chain, with a random nonce
 *   bound to one browser's sign-in (its interaction) or one signed-in account, valid for
 *   a few minutes. A nonce the client chose would give no replay protection.
 * - The first attempt with a nonce uses it up, whether its signature is good or not; every
 *   field of the message is then checked (siwe.ts) and the signature must come from the
 *   address (signature.ts).
 * - An address is one account's, whatever its letter case and on every chain: the
 *   account's `sub` is its id, never `eip155:<chain>:<address>`.
 * - Sign-up needs the signature too, and the fields the operator asks for; an email goes
 *   through the confirmation link like password sign-up. It can be switched off.
 * - A wallet is unlinked only if the account keeps another way to sign in.
 */
import { randomBytes } from "node:crypto";
import type { AccountService } from "../accounts/index.js";
import { emailProblem, nameProblem } from "../accounts/index.js";
import type { WalletConfig } from "../config.js";
import type { EventRecorder } from "../jobs/index.js";
import { FormError, type Clock } from "../shared/index.js";
import { checksummed, shortAddress } from "./address.js";
import { WalletError } from "./errors.js";
import { WalletTakenError, type WalletRepository } from "./repository.js";
import type { Tx } from "../confirmation/index.js";
import type { SignatureCheck } from "./signature.js";
import { challengeMessage, checkMessage, nonceOf, siteOf } from "./siwe.js";

/** What a challenge is for: one browser's sign-in, or a signed-in account adding a wallet. */
export const bindings = {
  interaction: (uid: string) => `interaction:${uid}`,
  account: (accountId: string) => `account:${accountId}`,
};

export interface SignedMessage {
  message: unknown;
  signature: unknown;
}

export interface SignUpFields {
  name?: string;
  email?: string;
}

/** 128 bits, alphanumeric as EIP-4361 requires of a nonce (at least 8 characters). */
const newNonce = () => randomBytes(16).toString("hex");

export function createWalletService(deps: {
  repo: WalletRepository;
  accounts: AccountService;
  events: EventRecorder;
  clock: Clock;
  issuer: string;
  settings: WalletConfig;
  checkSignature: SignatureCheck;
}) {
  const { repo, accounts, events, clock, settings } = deps;
  const site = siteOf(deps.issuer);

  function chainId(input: unknown): number {
    const id = typeof input === "string" && /^(0x[0-9a-f]+|\d+)$/i.test(input) ? Number(input) : input;
    if (typeof id !== "number" || !Number.isSafeInteger(id)) throw new WalletError("invalid_request", "Send the wallet's chain id as a number.");
    if (!settings.chainIds.includes(id)) {
      throw new WalletError("wrong_chain", `Signing in works from chain ${settings.chainIds.join(", ")} only. Switch your wallet to one of them and try again.`);
    }
    return id;
  }

  /** Uses the challenge up, then checks the message and its signature: answers the address that signed. */
  async function prove(boundTo: string, signed: SignedMessage): Promise<`0x${string}`> {
    const { text, nonce } = nonceOf(signed.message);
    const now = clock.now();
    const challenge = await repo.consumeChallenge(nonce, boundTo, now);
    if (challenge === "unknown") throw new WalletError("challenge_used", "Tessera did not issue this message to this browser, or it was already used. Try again with a new one.");
    if (challenge === "used") throw new WalletError("challenge_used", "This sign-in message was already used. Try again: your wallet will ask you to sign a new one.");
    if (now >= challenge.expiresAt) throw new WalletError("challenge_expired", "This sign-in message has expired. Try again: your wallet will ask you to sign a new one.");
    checkMessage(text, { site, challenge, chainIds: settings.chainIds, now });
    const address = challenge.address as `0x${string}`;
    const valid = await deps.checkSignature({ address, message: text, signature: signed.signature as string });
    if (!valid) {
      throw new WalletError(
        "invalid_signature",
        settings.rpcUrl
          ? "The signature does not match this wallet address. Sign with the wallet whose address you gave."
          : "The signature does not match this wallet address. Sign with the wallet whose address you gave; smart-contract wallets cannot sign in here, only ordinary ones.",
      );
    }
    return address;
  }

  /** The sign-up fields as the operator configured them: required ones present and well formed, before the challenge is used up. */
  function signUpInput(fields: SignUpFields): { name: string; email: string | undefined } {
    const rules = settings.signUp.fields;
    const name = rules.name === "off" ? "" : (fields.name ?? "").trim();
    const email = rules.email === "off" ? "" : (fields.email ?? "").trim();
    const problems: Record<string, string> = {};
    if (rules.name === "required" || name) {
      const problem = nameProblem(name);
      if (problem) problems.name = problem;
    }
    if (rules.email === "required" && !email) problems.email = "Enter your email address.";
    else if (email) {
      const problem = emailProblem(email);
      if (problem) problems.email = problem;
    }
    if (Object.keys(problems).length) throw new FormError(problems);
    return { name, email: email || undefined };
  }

  return {
    settings,
    /** Whether contract wallets can be verified (an RPC endpoint is configured). */
    smartContractWallets: Boolean(settings.rpcUrl),

    async challenge(boundTo: string, input: { address: unknown; chainId: unknown }): Promise<{ message: string; nonce: string; expiresAt: Date }> {
      const address = checksummed(input.address);
      const issuedAt = clock.now();
      const challenge = {
        nonce: newNonce(),
        boundTo,
        address,
        chainId: chainId(input.chainId),
        issuedAt,
        expiresAt: new Date(issuedAt.getTime() + settings.challengeMinutes * 60_000),
      };
      await repo.saveChallenge(challenge);
      return { message: challengeMessage(site, challenge), nonce: challenge.nonce, expiresAt: challenge.expiresAt };
    },

    /** The account the wallet signs in to. */
    async signIn(boundTo: string, signed: SignedMessage): Promise<{ accountId: string; address: string }> {
      const address = await prove(boundTo, signed);
      const accountId = await repo.ownerOf(address);
      // The audit trail (ASVS 5.0 16.3.1): a proven wallet signs in, or is refused for having no account.
      await repo.transaction((tx) =>
        accountId
          ? events.record(tx, { type: "account.signed-in", accountId, method: "wallet" })
          : events.record(tx, { type: "account.sign-in-failed", method: "wallet", reason: "unknown-account", identifier: address }),
      );
      if (!accountId) {
        throw new WalletError(
          "unknown_wallet",
          settings.signUp.enabled ? "No account uses this wallet yet. Create one with it instead." : "No account uses this wallet, and new accounts cannot be created with a wallet here.",
        );
      }
      return { accountId, address };
    },

    /** A new account whose way in is this wallet; the address is unique, so of two racing sign-ups one wins. */
    async signUp(boundTo: string, signed: SignedMessage, fields: SignUpFields): Promise<{ accountId: string; address: string }> {
      if (!settings.signUp.enabled) throw new WalletError("signup_disabled", "New accounts cannot be created with a wallet here. Sign in with an account you already have.");
      const input = signUpInput(fields);
      const address = await prove(boundTo, signed);
      try {
        // The address's link continues this sign-in only (the one the signature was bound to).
        const interactionUid = boundTo.startsWith("interaction:") ? boundTo.slice("interaction:".length) : undefined;
        const account = await accounts.registerWithoutPassword({ name: input.name || shortAddress(address), email: input.email, interactionUid }, async (tx, accountId) => {
          await repo.link(tx, accountId, address, clock.now());
          await events.record(tx, { type: "account.wallet-linked", accountId, address });
        });
        return { accountId: account.id, address };
      } catch (error) {
        if (error instanceof WalletTakenError) throw new WalletError("wallet_taken", "This wallet already has an account. Sign in with it instead.");
        throw error;
      }
    },

    list: (accountId: string) => repo.list(accountId),

    async link(accountId: string, signed: SignedMessage): Promise<{ address: string }> {
      const address = await prove(bindings.account(accountId), signed);
      try {
        await repo.transaction(async (tx) => {
          await repo.link(tx, accountId, address, clock.now());
          await events.record(tx, { type: "account.wallet-linked", accountId, address });
        });
      } catch (error) {
        if (!(error instanceof WalletTakenError)) throw error;
        const mine = (await repo.ownerOf(address)) === accountId;
        throw new WalletError("wallet_taken", mine ? "This wallet is already linked to your account." : "This wallet signs in to another account. Unlink it there first.");
      }
      return { address };
    },

    async unlink(accountId: string, input: string): Promise<{ address: string }> {
      const address = checksummed(input);
      await repo.transaction(async (tx) => {
        await repo.lockAccount(tx, accountId);
        const wallets = await repo.list(accountId, tx);
        if (!wallets.some((wallet) => wallet.address === address)) throw new WalletError("unknown_wallet", "That wallet is not linked to your account.");
        if (wallets.length === 1 && !(await accounts.canUsePassword(accountId, tx))) {
          throw new WalletError(
            "last_sign_in_method",
            "This wallet is your only way to sign in. Add and confirm an email address and set a password (or link another wallet) first.",
          );
        }
        await repo.unlink(tx, accountId, address);
        await events.record(tx, { type: "account.wallet-unlinked", accountId, address });
      });
      return { address };
    },
  };
}

export type WalletService = ReturnType<typeof createWalletService>;

/**
 * Unlinks every wallet of the account, in the caller's transaction: when the owner of the
 * account's never-confirmed address proves it with a password reset, whoever held the
 * account until then must not keep a wallet that signs in to it
 * (src/accounts/password-reset.ts).
 */
export function unlinkAllWallets(deps: { repo: WalletRepository; events: EventRecorder }) {
  return async (tx: Tx, accountId: string): Promise<void> => {
    for (const wallet of await deps.repo.list(accountId, tx)) {
      await deps.repo.unlink(tx, accountId, wallet.address);
      await deps.events.record(tx, { type: "account.wallet-unlinked", accountId, address: wallet.address });
    }
  };
}
