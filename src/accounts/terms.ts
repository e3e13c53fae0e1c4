/**
 * Versioned terms of service. The newest published version is current; a user who has not
 * accepted it confirms their details and accepts it before a sign-in completes. Each
 * acceptance records the version and when.
 */
import type { PrismaClient } from "../db/index.js";
import { type Clock, FormError } from "../shared/index.js";
import { nameProblem } from "./profile.js";

export interface Terms {
  version: string;
  url: string;
  publishedAt: Date;
}

export function createTermsService(deps: { prisma: PrismaClient; clock: Clock }) {
  const { prisma, clock } = deps;

  async function current(): Promise<Terms | undefined> {
    const row = await prisma.termsVersion.findFirst({ orderBy: { publishedAt: "desc" } });
    return row ?? undefined;
  }

  return {
    current,

    async publish(version: string, url: string): Promise<Terms> {
      return prisma.termsVersion.create({ data: { version, url, publishedAt: clock.now() } });
    },

    async list(): Promise<Terms[]> {
      return prisma.termsVersion.findMany({ orderBy: { publishedAt: "desc" } });
    },

    /** The current version the user still has to accept, if any. */
    async pendingFor(userId: string): Promise<Terms | undefined> {
      const terms = await current();
      if (!terms) return undefined;
      const accepted = await prisma.termsAcceptance.findUnique({ where: { userId_version: { userId, version: terms.version } } });
      return accepted ? undefined : terms;
    },

    /**
     * Records acceptance of `version` with the (possibly edited) name, in one transaction.
     * A version that is no longer current (published anew while the page was open) is
     * refused, so nobody accepts terms they were not shown.
     */
    async accept(userId: string, input: { version: string; accepted: boolean; name: string }): Promise<void> {
      const name = input.name.trim();
      const terms = await current();
      const problems: Record<string, string> = {};
      const nameIssue = nameProblem(name);
      if (nameIssue) problems.name = nameIssue;
      if (!input.accepted) problems.accept = "Tick the box to accept the terms of service, or cancel the sign-in.";
      if (terms && input.version !== terms.version) problems.accept = "The terms of service changed while this page was open. Read the new version and accept it.";
      if (Object.keys(problems).length) throw new FormError(problems);
      if (!terms) return;
      await prisma.$transaction([
        prisma.user.update({ where: { id: userId }, data: { name } }),
        prisma.termsAcceptance.upsert({
          where: { userId_version: { userId, version: terms.version } },
          create: { userId, version: terms.version, acceptedAt: clock.now() },
          update: {},
        }),
      ]);
    },
  };
}

export type TermsService = ReturnType<typeof createTermsService>;
