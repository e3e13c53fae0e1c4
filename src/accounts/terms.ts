/**
 * Versioned terms of service. The newest published version is current; a user who has not
 * accepted it confirms their details and accepts it before a sign-in completes. Each
 * acceptance records the version and when.
 */
import type { PrismaClient } from "../db/index.js";
import type { NameWriter } from "./name-writer.js";
import { type Clock, FormError } from "../shared/index.js";
import { nameProblem } from "./input-rules.js";

export interface Terms {
  version: string;
  url: string;
  publishedAt: Date;
}

async function currentTerms(prisma: PrismaClient): Promise<Terms | undefined> {
  const row = await prisma.termsVersion.findFirst({ orderBy: { publishedAt: "desc" } });
  return row ?? undefined;
}

/** Publishing and reading versions: what the operator's CLI needs. */
export function createTermsVersions(deps: { prisma: PrismaClient; clock: Clock }) {
  const { prisma, clock } = deps;
  const current = () => currentTerms(prisma);

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
  };
}


/** Accepting the current terms on the "confirm your details" step (which may also rename). */
function createTermsAcceptance(deps: { prisma: PrismaClient; clock: Clock; writeName: NameWriter }) {
  const { prisma, clock } = deps;
  /**
   * Records acceptance of `version` with the (possibly edited) name, in one transaction.
   * A version that is no longer current (published anew while the page was open) is
   * refused, so nobody accepts terms they were not shown.
   */
  return async (userId: string, input: { version: string; accepted: boolean; name: string }): Promise<void> => {
    const name = input.name.trim();
    const terms = await currentTerms(prisma);
    const problems: Record<string, string> = {};
    const nameIssue = nameProblem(name);
    if (nameIssue) problems.name = nameIssue;
    if (!input.accepted) problems.accept = "Tick the box to accept the terms of service, or cancel the sign-in.";
    if (terms && input.version !== terms.version) problems.accept = "The terms of service changed while this page was open. Read the new version and accept it.";
    if (Object.keys(problems).length) throw new FormError(problems);
    if (!terms) return;
    await prisma.$transaction(async (tx) => {
      await deps.writeName(tx, userId, name);
      await tx.termsAcceptance.upsert({
        where: { userId_version: { userId, version: terms.version } },
        create: { userId, version: terms.version, acceptedAt: clock.now() },
        update: {},
      });
    });
  };
}

export function createTermsService(deps: { prisma: PrismaClient; clock: Clock; writeName: NameWriter }) {
  return { ...createTermsVersions(deps), accept: createTermsAcceptance(deps) };
}

export type TermsService = ReturnType<typeof createTermsService>;
