/** Accounts and their addresses in Prisma; returns domain types, never rows. */
import type { PrismaClient } from "../db/database.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Account } from "./types.js";

const withPrimaryEmail = { emails: { where: { primary: true } } } as const;

type UserWithEmails = Prisma.UserGetPayload<{ include: typeof withPrimaryEmail }>;

function toAccount(user: UserWithEmails): Account {
  const primary = user.emails[0];
  return {
    id: user.id,
    name: user.name,
    createdAt: user.createdAt,
    primaryEmail: primary ? { address: primary.address, verified: primary.verifiedAt !== null } : undefined,
  };
}

export class EmailTakenError extends Error {}

export function createAccountRepository(prisma: PrismaClient) {
  return {
    async findById(id: string): Promise<Account | undefined> {
      const user = await prisma.user.findUnique({ where: { id }, include: withPrimaryEmail });
      return user ? toAccount(user) : undefined;
    },

    async findCredentialsByEmail(normalized: string): Promise<{ accountId: string; passwordHash: string | null } | undefined> {
      const email = await prisma.email.findUnique({ where: { normalized }, include: { user: true } });
      return email ? { accountId: email.userId, passwordHash: email.user.passwordHash } : undefined;
    },

    /** Creates the account and its primary address together: never one without the other. */
    async create(input: { name: string; address: string; normalized: string; passwordHash: string }): Promise<Account> {
      try {
        const user = await prisma.user.create({
          data: {
            name: input.name,
            passwordHash: input.passwordHash,
            emails: { create: { address: input.address, normalized: input.normalized, primary: true } },
          },
          include: withPrimaryEmail,
        });
        return toAccount(user);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new EmailTakenError();
        throw error;
      }
    },

    async count(): Promise<number> {
      return prisma.user.count();
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
