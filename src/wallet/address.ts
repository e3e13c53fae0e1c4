/**
 * Wallet addresses as Tessera keeps them: EIP-55 checksummed for people, lower-case as the
 * key, so one address is one account whatever the case it arrives in.
 */
import { getAddress, isAddress } from "viem";
import { WalletError } from "./errors.js";

/** The EIP-55 form of an address given as text; refuses anything that is not a 20-byte hex address. */
export function checksummed(input: unknown): `0x${string}` {
  // strict: false accepts an all-lower or all-upper address; a mixed-case one must carry a valid checksum.
  if (typeof input !== "string" || !isAddress(input, { strict: false })) {
    throw new WalletError("invalid_request", "That is not an Ethereum address (0x followed by 40 hexadecimal digits).");
  }
  if (input.slice(2) !== input.slice(2).toLowerCase() && input.slice(2) !== input.slice(2).toUpperCase() && getAddress(input) !== input) {
    throw new WalletError("invalid_request", "That address has a wrong EIP-55 checksum: copy it again from your wallet.");
  }
  return getAddress(input);
}

export const normalized = (address: string): string => address.toLowerCase();

/** 0x1234…abcd: a name for an account that gave none. */
export const shortAddress = (address: string): string => `${address.slice(0, 6)}…${address.slice(-4)}`;
