/**
 * Which push endpoints a client may register (RFC 8935 §2: the receiver's URL). Tessera
 * POSTs account data there, so: https only (plain http to a loopback address is allowed
 * outside production, for local development), no credentials or fragment in the URL, and
 * in production no address in private, loopback or link-local space — the push must not
 * become a way to reach Tessera's own network. Names are resolved when the endpoint is
 * registered; a name that later resolves inward is refused again at delivery.
 */
import { lookup } from "node:dns/promises";
import net from "node:net";

export class PushEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PushEndpointError";
  }
}

const loopbackNames = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a = 0, b = 0] = address.split(".").map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = address.toLowerCase();
  if (lower.startsWith("::ffff:")) return isPrivateAddress(lower.slice(7));
  return lower === "::1" || lower === "::" || lower.startsWith("fc") || lower.startsWith("fd") || lower.startsWith("fe80");
}

/** Resolves when `value` may receive pushes; rejects with what is wrong. */
export async function checkPushEndpoint(value: string, options: { production: boolean }): Promise<URL> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PushEndpointError("must be an absolute https URL");
  }
  if (url.username || url.password) throw new PushEndpointError("must not carry credentials; set the receiver's authorization header on its stream instead");
  if (url.hash) throw new PushEndpointError("must not have a fragment");
  const loopback = loopbackNames.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback && !options.production)) {
    throw new PushEndpointError(options.production ? "must use https" : "must use https (plain http only to localhost, outside production)");
  }
  if (options.production) await assertPublic(url.hostname);
  return url;
}

export async function assertPublic(hostname: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
  if (!addresses.length) throw new PushEndpointError(`host ${hostname} does not resolve`);
  if (addresses.some(isPrivateAddress)) throw new PushEndpointError(`host ${hostname} is in private address space`);
}
