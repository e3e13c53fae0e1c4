/**
 * Passwords: the rules a new one must meet, and hashing.
 *
 * Rules (ASVS 5.0 6.2.1–6.2.9, NIST SP 800-63B §3.1.1.2):
 * - at least `minLength` characters (8 by default, PASSWORD_MIN_LENGTH raises it) and up to
 *   256, so passphrases of 64 and more fit; every character is allowed and kept as typed;
 * - not one of the 10,000 most common passwords (common-passwords.txt, shipped with
 *   Tessera; compared in lower case, as attackers' lists are tried in every case);
 * - no composition rules (no "one digit and one symbol"): they push people to predictable
 *   patterns without making passwords harder to guess (6.2.5).
 *
 * Hashing is argon2id with the parameters of the settings (OWASP's floor by default: m=19
 * MiB, t=2, p=1; Password Storage Cheat Sheet). The encoded hash carries the parameters it
 * was made with, so raising them keeps old hashes verifiable; `needsRehash` tells sign-in
 * to store a hash with the current ones once it has the password in hand (6.2.x upgrade).
 */
import fs from "node:fs";
import { hash, verify } from "@node-rs/argon2";

export interface PasswordSettings {
  minLength: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
}

/** Above 256 characters a "password" is a denial of service on the hash, not a secret. */
export const maxPasswordLength = 256;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(fs.readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8").split("\n").filter(Boolean));
  return common;
}

/** The m, t and p an encoded argon2id hash was made with, or undefined if it is not one. */
function parametersOf(encoded: string): { m: number; t: number; p: number } | undefined {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  return match ? { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) } : undefined;
}

export function createPasswords(settings: PasswordSettings) {
  // 2 is Algorithm.Argon2id; the package exports it as a const enum, which isolated modules cannot read.
  const parameters = { algorithm: 2, ...settings.argon2 } as const;
  const length = { min: settings.minLength, max: maxPasswordLength } as const;
  const hashPassword = (password: string) => hash(password, parameters);

  async function verifyPassword(encoded: string, password: string): Promise<boolean> {
    try {
      return await verify(encoded, password);
    } catch {
      return false;
    }
  }

  // Verifying against a hash of nothing when the account does not exist makes a wrong email
  // cost as much time as a wrong password, so response times do not reveal who has an account.
  let decoy: Promise<string> | undefined;

  return {
    /** What pages say about length next to the field. */
    length,

    /** Why `password` cannot be chosen, in words for the field's error; undefined when it can. */
    problem(password: string): string | undefined {
      if (password.length < length.min) return `Use at least ${length.min} characters.`;
      if (password.length > length.max) return `Use at most ${length.max} characters.`;
      if (commonPasswords().has(password.toLowerCase())) {
        return "This is one of the most common passwords, among the first an attacker tries. Choose another; a few unrelated words make a good one.";
      }
      return undefined;
    },

    hash: hashPassword,
    verify: verifyPassword,

    /** Whether `encoded` was made with other parameters than the current ones (or another algorithm). */
    needsRehash(encoded: string): boolean {
      const made = parametersOf(encoded);
      return !made || made.m !== parameters.memoryCost || made.t !== parameters.timeCost || made.p !== parameters.parallelism;
    },

    async spendVerificationTime(password: string): Promise<void> {
      decoy ??= hashPassword("decoy-password-for-timing");
      await verifyPassword(await decoy, password);
    },
  };
}

export type Passwords = ReturnType<typeof createPasswords>;
