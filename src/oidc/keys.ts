/**
 * Signing keys and cookie secrets, generated into KEYS_DIR on first start and read back on
 * every later one. Keys are private JWKs (RS256 and ES256 at least: RS256 is what every
 * relying party supports, ES256 is smaller and faster). The first key of each algorithm
 * signs; the others only verify, which is what lets a rotation log nobody out.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";

const signingAlgorithms = ["RS256", "ES256"] as const;

export interface KeyMaterial {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

export async function loadOrCreateKeys(keysDir: string): Promise<KeyMaterial & { created: string[] }> {
  await fs.mkdir(keysDir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  const jwksPath = path.join(keysDir, "jwks.json");
  let jwks = await readJson<{ keys: JWK[] }>(jwksPath);
  if (!jwks) {
    jwks = { keys: await Promise.all(signingAlgorithms.map(generateSigningKey)) };
    await writeSecret(jwksPath, jwks);
    created.push(jwksPath);
  }
  const cookiesPath = path.join(keysDir, "cookie-keys.json");
  let cookieKeys = await readJson<string[]>(cookiesPath);
  if (!cookieKeys) {
    cookieKeys = [randomBytes(32).toString("base64url")];
    await writeSecret(cookiesPath, cookieKeys);
    created.push(cookiesPath);
  }
  return { jwks, cookieKeys, created };
}

export async function generateSigningKey(alg: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: "sig", kid: `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}` };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

async function writeSecret(file: string, value: unknown): Promise<void> {
  // Written beside and renamed into place, so a crash never leaves a truncated key file.
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}
