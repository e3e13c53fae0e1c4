/**
 * Whether this browser is still running the sign-in `uid` for `accountId`: a confirmation
 * link continues only the sign-in that asked for it, never another one left unfinished in
 * the same browser (an address added on the account page continues none). Interaction
 * cookies are scoped to their own /interaction/<uid> path, so a page elsewhere (a
 * confirmation link) cannot read them; the session cookie is site-wide, and each
 * interaction records the session it belongs to.
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import type { PrismaClient } from "../db/index.js";
import type { Clock } from "../shared/index.js";

export async function waitingInteractionUid(
  deps: { provider: Provider; prisma: PrismaClient; clock: Clock },
  ctx: Context,
  accountId: string,
  uid: string | undefined,
): Promise<string | undefined> {
  if (!uid) return undefined;
  const session = await deps.provider.Session.get(ctx as never);
  if (!session.accountId || session.accountId !== accountId || !session.uid) return undefined;
  const row = await deps.prisma.oidcModel.findFirst({
    where: { model: "Interaction", id: uid, expiresAt: { gt: deps.clock.now() }, payload: { path: ["session", "uid"], equals: session.uid } },
    select: { id: true },
  });
  return row?.id;
}
