/**
 * Finds the sign-in a browser is waiting on. Interaction cookies are scoped to their own
 * /interaction/<uid> path, so a page elsewhere (a confirmation link) cannot read them; the
 * session cookie is site-wide, and each interaction records the session it belongs to.
 */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import type { PrismaClient } from "../db/index.js";
import type { Clock } from "../shared/index.js";

export async function waitingInteractionUid(
  deps: { provider: Provider; prisma: PrismaClient; clock: Clock },
  ctx: Context,
  accountId: string,
): Promise<string | undefined> {
  const session = await deps.provider.Session.get(ctx as never);
  if (!session.accountId || session.accountId !== accountId || !session.uid) return undefined;
  const row = await deps.prisma.oidcModel.findFirst({
    where: { model: "Interaction", expiresAt: { gt: deps.clock.now() }, payload: { path: ["session", "uid"], equals: session.uid } },
    orderBy: { expiresAt: "desc" },
    select: { id: true },
  });
  return row?.id;
}
