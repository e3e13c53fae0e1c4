/** Accounts and their addresses in Prisma; returns domain types, never rows. */
import type { Tx } from "../confirmation/index.js";
import { type PrismaClient, Prisma } from "../db/index.js";
import type { Account, EmailAddress } from "./types.js";

const withPrimaryEmail = { emails: { where: { primary: true } } } as const;

type UserWithEmails = Prisma.UserGetPayload<{ include: typeof withPrimaryEmail }>;
type EmailRow = Prisma.EmailGetPayload<object>;

function toAccount(user: UserWithEmails): Account {
  const primary = user.emails[0];
  return {
    id: user.id,
    name: user.name,
    createdAt: user.createdAt,
    primaryEmail: primary ? { address: primary.address, verified: primary.verifiedAt !== null } : undefined,
  };
}

function toEmailAddress(row: EmailRow): EmailAddress {
  return { id: row.id, address: row.address, primary: row.primary, verified: row.verifiedAt !== null, createdAt: row.createdAt };
}

/** Another account already owns the address (unique `owned`). */
export class AddressTakenError extends Error {}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Creates the account and, when given, its primary address together: never one without the other. */
async function createUser(
  tx: Tx,
  input: { name: string; address?: string; normalized?: string; passwordHash?: string | null; verifiedAt?: Date },
): Promise<{ account: Account; emailId?: string }> {
  try {
    const user = await tx.user.create({
      data: {
        name: input.name,
        passwordHash: input.passwordHash ?? null,
        ...(input.address &&
          input.normalized && { emails: { create: { address: input.address, normalized: input.normalized, owned: input.normalized, primary: true, verifiedAt: input.verifiedAt ?? null } } }),
      },
      include: withPrimaryEmail,
    });
    return { account: toAccount(user), emailId: user.emails[0]?.id };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AddressTakenError();
    throw error;
  }
}

export function createAccountRepository(prisma: PrismaClient) {
  return {
    async findById(id: string, db: Tx | PrismaClient = prisma): Promise<Account | undefined> {
      const user = await db.user.findUnique({ where: { id }, include: withPrimaryEmail });
      return user ? toAccount(user) : undefined;
    },

    /** Only addresses that belong to an account sign in; merely added ones do not. */
    async findOwnedEmail(normalized: string, db: Tx | PrismaClient = prisma): Promise<{ accountId: string; emailId: string; address: string; passwordHash: string | null; name: string } | undefined> {
      const email = await db.email.findUnique({ where: { owned: normalized }, include: { user: true } });
      return email
        ? { accountId: email.userId, emailId: email.id, address: email.address, passwordHash: email.user.passwordHash, name: email.user.name }
        : undefined;
    },

    async findEmail(id: string, db: Tx | PrismaClient = prisma): Promise<(EmailAddress & { userId: string; normalized: string; owned: boolean }) | undefined> {
      const row = await db.email.findUnique({ where: { id } });
      return row ? { ...toEmailAddress(row), userId: row.userId, normalized: row.normalized, owned: row.owned !== null } : undefined;
    },

    async listEmails(userId: string, db: Tx | PrismaClient = prisma): Promise<EmailAddress[]> {
      const rows = await db.email.findMany({ where: { userId }, orderBy: [{ primary: "desc" }, { createdAt: "asc" }] });
      return rows.map(toEmailAddress);
    },

    /** Creates the account and its primary address together: never one without the other. */
    async create(tx: Tx, input: { name: string; address: string; normalized: string; passwordHash: string }): Promise<{ account: Account; emailId: string }> {
      const created = await createUser(tx, input);
      return { account: created.account, emailId: created.emailId! };
    },

    /**
     * An account whose address was proven before it existed (a registration link): the
     * address is verified from the start; the password hash may be absent.
     */
    async createVerified(tx: Tx, input: { name: string; address: string; normalized: string; passwordHash: string | null; verifiedAt: Date }): Promise<{ account: Account; emailId: string }> {
      const created = await createUser(tx, input);
      return { account: created.account, emailId: created.emailId! };
    },

    /** An account proved another way (a wallet): no password, and an address only if one is given. */
    createWithoutPassword(tx: Tx, input: { name: string; email?: { address: string; normalized: string } }): Promise<{ account: Account; emailId?: string }> {
      return createUser(tx, { name: input.name, ...input.email });
    },

    /** Whether the account can sign in with email and password: it has a password and an address of its own. */
    async canUsePassword(userId: string, db: Tx | PrismaClient = prisma): Promise<boolean> {
      const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, emails: { where: { owned: { not: null } }, take: 1 } } });
      return Boolean(user?.passwordHash && user.emails.length);
    },

    /** Answers undefined when the account already has the address (a concurrent add won). */
    async addEmail(tx: Tx, userId: string, address: string, normalized: string): Promise<string | undefined> {
      try {
        const row = await tx.email.create({ data: { userId, address, normalized } });
        return row.id;
      } catch (error) {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      }
    },

    async hasAddress(userId: string, normalized: string): Promise<boolean> {
      return (await prisma.email.count({ where: { userId, normalized } })) > 0;
    },

    async isOwned(normalized: string, db: Tx | PrismaClient = prisma): Promise<boolean> {
      return (await db.email.count({ where: { owned: normalized } })) > 0;
    },

    /** Marks the address verified and, if it was added later, takes ownership of it. */
    async verifyEmail(tx: Tx, emailId: string, now: Date): Promise<void> {
      const row = await tx.email.findUniqueOrThrow({ where: { id: emailId } });
      try {
        await tx.email.update({ where: { id: emailId }, data: { verifiedAt: row.verifiedAt ?? now, owned: row.normalized } });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AddressTakenError();
        throw error;
      }
    },

    async deleteEmail(tx: Tx, emailId: string): Promise<void> {
      await tx.email.delete({ where: { id: emailId } });
    },

    async makePrimary(tx: Tx, userId: string, emailId: string): Promise<void> {
      // Serialises concurrent switches for one account: without the lock two of them can
      // each clear the old primary and set their own, leaving two.
      await tx.$queryRaw`SELECT id FROM "user" WHERE id = ${userId} FOR UPDATE`;
      await tx.email.updateMany({ where: { userId, primary: true }, data: { primary: false } });
      await tx.email.update({ where: { id: emailId }, data: { primary: true } });
    },

    /** Holds the account's row until the transaction ends: work on one account in turn. */
    async lockUser(tx: Tx, userId: string): Promise<void> {
      await tx.$queryRaw`SELECT id FROM "user" WHERE id = ${userId} FOR UPDATE`;
    },

    /** Stores `next` only while the stored hash is still `current`. */
    async replacePasswordHash(userId: string, current: string, next: string): Promise<void> {
      await prisma.user.updateMany({ where: { id: userId, passwordHash: current }, data: { passwordHash: next } });
    },

    async findPasswordHash(userId: string): Promise<string | undefined> {
      return (await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } }))?.passwordHash ?? undefined;
    },

    async setPassword(tx: Tx, userId: string, passwordHash: string): Promise<void> {
      await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    },

    transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return prisma.$transaction(work);
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
