/**
 * Where the change being made comes from: the browser's IP address and user agent for a
 * request, or the operator for a CLI command. The request middleware (and the CLI) set it
 * for everything that runs on the request's behalf; `events.record` reads it, so the audit
 * trail gets IP and user agent (ASVS 5.0 16.2.1: when, where, who) without every service
 * passing them by hand. An AsyncLocalStorage keeps it across awaits, including into
 * node-oidc-provider, which answers within the same call chain.
 */
import { AsyncLocalStorage } from "node:async_hooks";

// A type, not an interface: it is stored as JSON (job payloads, the event row), which needs an index-compatible shape.
export type RequestContext = {
  /** The client's address as Tessera sees it (the proxy's X-Forwarded-For only with TRUST_PROXY). */
  ip?: string;
  /** The User-Agent header, cut to a length worth keeping. */
  userAgent?: string;
  /** Set for operator commands: the operating-system user who ran the CLI. */
  operator?: string;
};

const storage = new AsyncLocalStorage<RequestContext>();

/** Longest user agent kept: real ones are a few hundred characters; more is noise or abuse. */
export const userAgentMaxLength = 512;

export function runWithRequestContext<T>(context: RequestContext, run: () => T): T {
  const userAgent = context.userAgent?.slice(0, userAgentMaxLength) || undefined;
  return storage.run({ ...context, userAgent }, run);
}

/** The context of the work running now, if it runs on behalf of a request or command. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
