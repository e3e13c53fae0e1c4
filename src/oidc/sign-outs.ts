/**
 * Records a sign-out (ASVS 5.0 16.3.1) when a browser's Tessera session ends at the user's
 * request: RP-initiated logout, which Tessera's own "Sign out" uses too, answered "Yes,
 * sign me out". "No, stay signed in" only ends the one application's part of the session,
 * which is not a sign-out from Tessera.
 * The provider changes the session in its own storage, outside any transaction of ours, so
 * the record is written in a transaction of its own right after; the response waits for it
 * (a middleware on the provider's app awaits the write), so the record is there by the time
 * the browser is told it is signed out.
 */
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import type { PrismaClient } from "../db/index.js";
import type { EventRecorder } from "../jobs/index.js";
import type { Logger } from "../shared/index.js";

export function recordSignOuts(provider: Provider, deps: { prisma: PrismaClient; events: EventRecorder; log: Logger }): void {
  const pending = new WeakMap<object, Promise<void>>();
  provider.on("end_session.success", (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId || !ctx.oidc.params?.logout) return;
    const clientId = ctx.oidc.client?.clientId;
    const write = deps.prisma
      .$transaction((tx) => deps.events.record(tx, { type: "account.signed-out", accountId, ...(clientId && { clientId }) }))
      .catch((error: unknown) => deps.log.error({ err: error, accountId }, "sign-out not recorded"));
    pending.set(ctx, write);
  });
  provider.use(async (ctx, next) => {
    await next();
    await pending.get(ctx);
  });
}
