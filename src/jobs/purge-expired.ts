/**
 * Deletes expired protocol artefacts. The adapter already ignores them on read; this keeps
 * the table from growing without bound.
 */
import type { PrismaClient } from "../db/index.js";
import type { Clock, Logger } from "../shared/index.js";

export async function purgeExpired(prisma: PrismaClient, clock: Clock): Promise<number> {
  const { count } = await prisma.oidcModel.deleteMany({ where: { expiresAt: { lte: clock.now() } } });
  return count;
}

export function schedulePurge(deps: { prisma: PrismaClient; clock: Clock; log: Logger; intervalSeconds: number }): () => void {
  const run = () =>
    purgeExpired(deps.prisma, deps.clock)
      .then((count) => count && deps.log.info({ count }, "purged expired protocol artefacts"))
      .catch((error: unknown) => deps.log.warn({ err: error }, "purge of expired artefacts failed"));
  const timer = setInterval(() => void run(), deps.intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
