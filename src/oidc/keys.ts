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
  await ensureKeysDir(keysDir);
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

/** The key material in keysDir, or undefined before Tessera's first start; never creates any. */
export async function readKeyMaterial(keysDir: string): Promise<KeyMaterial | undefined> {
  const jwks = await readJson<{ keys: JWK[] }>(path.join(keysDir, "jwks.json"));
  const cookieKeys = await readJson<string[]>(path.join(keysDir, "cookie-keys.json"));
  return jwks && cookieKeys ? { jwks, cookieKeys } : undefined;
}

export async function generateSigningKey(alg: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: "sig", kid: `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}` };
}

export async function ensureKeysDir(keysDir: string): Promise<void> {
  await fs.mkdir(keysDir, { recursive: true, mode: 0o700 });
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

export async function writeSecret(file: string, value: unknown): Promise<void> {
  // Written beside and renamed into place, so a crash never leaves a truncated key file.
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}

/*
 * Rotation, for the operator CLI. jwks.json stays a plain JWK set the provider reads as is;
 * when each key appeared is kept beside it in key-dates.json. Keys generated at first start
 * have no record there: they are dated by jwks.json's modification time ("first seen"),
 * which is written down before jwks.json is next changed so the date survives the change.
 */

export type KeyStatus = "signing" | "verifying";

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  status: KeyStatus;
  /** When the key was generated, or (firstSeen) the earliest time it is known to have existed. */
  since: Date;
  firstSeen: boolean;
}

type KeyDates = Record<string, { created: string } | { firstSeen: string }>;

export class KeyRotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyRotationError";
  }
}

/** The keys in jwks.json, in order: the first key of each algorithm signs. */
export async function listSigningKeys(keysDir: string): Promise<SigningKeyInfo[]> {
  const { jwks, dates } = await readKeyFiles(keysDir);
  const fileTime = await jwksModified(keysDir);
  const seenAlgs = new Set<string>();
  return jwks.keys.map((key) => {
    const alg = key.alg ?? "?";
    const status: KeyStatus = seenAlgs.has(alg) ? "verifying" : "signing";
    seenAlgs.add(alg);
    const date = dates[key.kid ?? ""];
    if (date && "created" in date) return { kid: key.kid ?? "", alg, status, since: new Date(date.created), firstSeen: false };
    return { kid: key.kid ?? "", alg, status, since: date ? new Date(date.firstSeen) : fileTime, firstSeen: true };
  });
}

/**
 * Puts a new key of every signing algorithm in front: they sign from Tessera's next start.
 * The old keys stay, so tokens and sessions made before keep verifying — nobody is logged out.
 */
export async function rotateSigningKeys(keysDir: string, now = new Date()): Promise<JWK[]> {
  const { jwks, dates } = await readKeyFiles(keysDir, { allowMissing: true });
  const fresh = await Promise.all(signingAlgorithms.map(generateSigningKey));
  for (const key of fresh) dates[key.kid!] = { created: now.toISOString() };
  await writeKeyFiles(keysDir, { keys: [...fresh, ...jwks.keys] }, dates);
  return fresh;
}

/**
 * Removes a key that only verifies. A signing key (the first of its algorithm), and so the
 * last key of an algorithm, is refused: the provider would have nothing to sign with.
 */
export async function retireSigningKey(keysDir: string, kid: string): Promise<SigningKeyInfo> {
  const keys = await listSigningKeys(keysDir);
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new KeyRotationError(`no key has kid ${kid}`);
  if (keys.filter((other) => other.alg === key.alg).length === 1) throw new KeyRotationError(`${kid} is the last ${key.alg} key; rotate first, then retire it`);
  if (key.status === "signing") throw new KeyRotationError(`${kid} is the signing ${key.alg} key; rotate first, then retire it`);
  const { jwks, dates } = await readKeyFiles(keysDir);
  delete dates[kid];
  await writeKeyFiles(keysDir, { keys: jwks.keys.filter((candidate) => candidate.kid !== kid) }, dates);
  return key;
}

async function readKeyFiles(keysDir: string, options: { allowMissing?: boolean } = {}): Promise<{ jwks: { keys: JWK[] }; dates: KeyDates }> {
  const jwks = await readJson<{ keys: JWK[] }>(path.join(keysDir, "jwks.json"));
  if (!jwks && !options.allowMissing) throw new KeyRotationError(`no signing keys in ${keysDir} yet: Tessera creates them at its first start`);
  return { jwks: jwks ?? { keys: [] }, dates: (await readJson<KeyDates>(path.join(keysDir, "key-dates.json"))) ?? {} };
}

async function jwksModified(keysDir: string): Promise<Date> {
  return (await fs.stat(path.join(keysDir, "jwks.json"))).mtime;
}

async function writeKeyFiles(keysDir: string, jwks: { keys: JWK[] }, dates: KeyDates): Promise<void> {
  await fs.mkdir(keysDir, { recursive: true, mode: 0o700 });
  const seen = await jwksModified(keysDir).catch(() => new Date());
  for (const key of jwks.keys) dates[key.kid!] ??= { firstSeen: seen.toISOString() };
  await writeSecret(path.join(keysDir, "key-dates.json"), dates);
  await writeSecret(path.join(keysDir, "jwks.json"), jwks);
}
