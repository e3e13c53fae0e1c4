/**
 * The key that protects what Tessera keeps at rest beyond the reach of a database copy:
 * 32 random bytes generated into KEYS_DIR (at-rest-keys.json, 0600, written atomically) on
 * first use, beside the signing keys, by the server and the CLI alike since both write
 * clients. The file is a list of `{ kid, key }`, the first one current, so what it protects
 * can name the key it used and a later rotation can add a key without re-writing the
 * database at once. Each use derives its own subkey (HKDF-SHA256, RFC 5869) with a label,
 * so no two purposes share key material.
 */
import { hkdfSync, randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { ensureKeysDir, readJson, writeSecret } from "./keys.js";

export interface AtRestKey {
  kid: string;
  key: Buffer;
}

export interface AtRestKeys {
  current: AtRestKey;
  byKid(kid: string): AtRestKey | undefined;
}

const fileName = "at-rest-keys.json";

export async function loadOrCreateAtRestKeys(keysDir: string): Promise<AtRestKeys & { created?: string }> {
  const file = path.join(keysDir, fileName);
  let stored = await readJson<Array<{ kid: string; key: string }>>(file);
  let created: string | undefined;
  if (!stored?.length) {
    await ensureKeysDir(keysDir);
    stored = [{ kid: randomUUID().slice(0, 8), key: randomBytes(32).toString("base64url") }];
    await writeSecret(file, stored);
    created = file;
  }
  return { ...atRestKeys(stored.map((entry) => ({ kid: entry.kid, key: Buffer.from(entry.key, "base64url") }))), created };
}

export function atRestKeys(keys: AtRestKey[]): AtRestKeys {
  const [current] = keys;
  if (!current || keys.some((entry) => entry.key.length !== 32)) throw new Error(`${fileName} must list keys of 32 bytes`);
  return { current, byKid: (kid) => keys.find((entry) => entry.kid === kid) };
}

/** A 32-byte subkey of `key` for one purpose, named by `label`. */
export function subkey(key: AtRestKey, label: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key.key, Buffer.alloc(0), `tessera ${label}`, 32));
}
