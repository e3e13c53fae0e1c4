/**
 * Password hashing with argon2id at OWASP's recommended floor (m=19 MiB, t=2, p=1; OWASP
 * Password Storage Cheat Sheet). The encoded hash carries its parameters, so raising them
 * later keeps old hashes verifiable.
 */
import { hash, verify } from "@node-rs/argon2";

// 2 is Algorithm.Argon2id; the package exports it as a const enum, which isolated modules cannot read.
const parameters = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, parameters);
}

export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await verify(encoded, password);
  } catch {
    return false;
  }
}

/**
 * Verifying against a hash of nothing when the account does not exist makes a wrong email
 * cost as much time as a wrong password, so response times do not reveal who has an account.
 */
let decoy: Promise<string> | undefined;
export async function spendVerificationTime(password: string): Promise<void> {
  decoy ??= hashPassword("decoy-password-for-timing");
  await verifyPassword(await decoy, password);
}
