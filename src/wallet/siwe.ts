/**
 * The Sign-In with Ethereum message (EIP-4361) Tessera issues, and the checks on the one a
 * wallet sends back. Every field is checked, none is optional (EIP-4361 §"Verifying a signed
 * message"; viem's validateSiweMessage skips what it is not given and never looks at chain
 * id or URI, so each check is spelled out here):
 * - domain: this server's authority (host and port), so a message signed for another site
 *   is refused here, and one made for us is refused elsewhere (phishing protection);
 * - URI (and scheme, when present): the issuer;
 * - version "1";
 * - chain id: in the operator's allow-list, and the one the challenge was issued for;
 * - address: the one the challenge was issued for;
 * - nonce: this challenge's (the caller looks it up and uses it up first);
 * - issued-at: not before the challenge was issued, not in the future, and expiry: present,
 *   still ahead, and no later than the challenge's own; not-before, if present, passed.
 */
import { createSiweMessage, parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { getAddress } from "viem";
import { WalletError } from "./errors.js";
import type { Challenge } from "./repository.js";

export interface SiweSite {
  /** RFC 3986 authority of the issuer: what a wallet compares with the page's origin. */
  domain: string;
  uri: string;
  scheme: string;
}

export const statement = "Sign in to Tessera with this wallet.";
/** Clocks of the server and of whoever built the message may differ this much. */
const skewMs = 60_000;

export function siteOf(issuer: string): SiweSite {
  const url = new URL(issuer);
  return { domain: url.host, uri: issuer, scheme: url.protocol.replace(/:$/, "") };
}

export function challengeMessage(site: SiweSite, challenge: Challenge): string {
  return createSiweMessage({
    domain: site.domain,
    address: challenge.address as `0x${string}`,
    statement,
    uri: site.uri,
    version: "1",
    chainId: challenge.chainId,
    nonce: challenge.nonce,
    issuedAt: challenge.issuedAt,
    expirationTime: challenge.expiresAt,
  });
}

/** The nonce of a message as sent, to find its challenge; anything not shaped like EIP-4361 is refused. */
export function nonceOf(message: unknown): { text: string; nonce: string } {
  if (typeof message !== "string" || message.length > 4096) throw notAMessage();
  const nonce = parseSiweMessage(message).nonce;
  if (!nonce) throw notAMessage();
  return { text: message, nonce };
}

export function checkMessage(text: string, expected: { site: SiweSite; challenge: Challenge; chainIds: readonly number[]; now: Date }): void {
  const { site, challenge, chainIds, now } = expected;
  const message = parseSiweMessage(text);
  if (message.domain !== site.domain || message.uri !== site.uri || (message.scheme !== undefined && message.scheme !== site.scheme)) {
    throw new WalletError("wrong_domain", `This message was made for ${message.domain ?? "another site"}, not for ${site.domain}. Sign in from ${site.uri}.`);
  }
  if (message.chainId === undefined || !chainIds.includes(message.chainId) || message.chainId !== challenge.chainId) {
    throw new WalletError("wrong_chain", `Signing in works from chain ${chainIds.join(", ")} only. Switch your wallet to one of them and try again.`);
  }
  if (message.version !== "1" || !message.address || !sameAddress(message.address, challenge.address)) {
    throw new WalletError("invalid_request", "This message is not the one Tessera issued for this wallet. Ask for a new one.");
  }
  const issuedAt = message.issuedAt?.getTime() ?? Number.NaN;
  const expiresAt = message.expirationTime?.getTime() ?? Number.NaN;
  if (!(issuedAt >= challenge.issuedAt.getTime() - skewMs && issuedAt <= now.getTime() + skewMs)) {
    throw new WalletError("invalid_request", "This message's issue time is not the one Tessera gave. Ask for a new one.");
  }
  if (!(expiresAt <= challenge.expiresAt.getTime()) || now.getTime() >= expiresAt || (message.notBefore && now < message.notBefore)) {
    throw new WalletError("challenge_expired", "This sign-in message has expired. Try again: your wallet will ask you to sign a new one.");
  }
  // Belt and braces: the library's own check, given every parameter it takes.
  if (!validateSiweMessage({ message, domain: site.domain, nonce: challenge.nonce, address: challenge.address as `0x${string}`, time: now })) {
    throw new WalletError("invalid_request", "This message is not the one Tessera issued for this wallet. Ask for a new one.");
  }
}

function sameAddress(a: string, b: string): boolean {
  try {
    return getAddress(a) === getAddress(b);
  } catch {
    return false;
  }
}

function notAMessage(): WalletError {
  return new WalletError("invalid_request", "Send the sign-in message (EIP-4361) your wallet signed, as text.");
}
