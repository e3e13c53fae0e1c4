/**
 * A NUL character is never part of anything Tessera or the provider accepts (no address,
 * name, code, token or URL contains one), and PostgreSQL refuses it in text and JSON — so
 * one that reached a query made the request fail with a 500. It is refused at the edge
 * instead, with a 400 that says what is wrong (ASVS 5.0 1.2.x, 2.2.1: input checked at a
 * trusted layer):
 * - in the URL (path or query), for every request, before any route or the provider runs;
 * - in a parsed body on Tessera's own routers (edge/nul.ts);
 * - in a body bound for the provider, which parses bodies itself: the request's byte stream
 *   is watched as the provider reads it, and a NUL makes that read fail, which the provider
 *   answers as its own `invalid_request` ("failed to parse the request body").
 */
import type { IncomingMessage } from "node:http";
import type { Middleware } from "koa";
import { AppError } from "../../shared/index.js";
import { nulMessage } from "../edge/index.js";

/** NUL as it travels in a URL or a form. */
const urlEncodedNul = /%00/i;
/** ... and in a body: as in a form, or as JSON escapes it. */
const bodyEncodedNul = /%00|\\u0000/i;

export function refuseNulInUrl(): Middleware {
  return async (ctx, next) => {
    if (urlEncodedNul.test(ctx.url) || ctx.url.includes("\0")) {
      if (ctx.accepts("html", "json") === "html") throw new AppError("http.nul", nulMessage, 400);
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: nulMessage };
      return;
    }
    await next();
  };
}

/**
 * Makes reading the request body fail when it holds a NUL, raw or encoded. node-oidc-provider
 * reads bodies with `req.iterator()` (lib/shared/selective_body.js) and turns a failed read
 * into `invalid_request`; the chunks pass through unchanged otherwise. The last few
 * characters of each chunk are kept so an encoded NUL split across two chunks is seen.
 */
export function refuseNulInBodyStream(req: IncomingMessage): void {
  const read = req.iterator.bind(req);
  req.iterator = (options) => watched(read(options));
}

async function* watched(chunks: AsyncIterable<unknown>): AsyncGenerator<unknown, void, undefined> {
  let carried = "";
  for await (const chunk of chunks) {
    const text = carried + (Buffer.isBuffer(chunk) ? chunk.toString("latin1") : String(chunk));
    if (text.includes("\0") || bodyEncodedNul.test(text)) throw new Error("the request body contains a NUL character");
    carried = text.slice(-5);
    yield chunk;
  }
}
