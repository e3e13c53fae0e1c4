/** Read-only views of accounts for the operator's `user list`. */
import type { PrismaClient } from "../db/index.js";

export interface UserSummary {
  id: string;
  name: string;
  email: string | null;
  emailVerified: boolean;
  createdAt: Date;
}

export function createUserRepository(prisma: PrismaClient) {
  return {
    /** Oldest first; `email` matches any of an account's addresses, case-insensitively and in part. */
    async list(filter: { email?: string } = {}): Promise<UserSummary[]> {
      const rows = await prisma.user.findMany({
        where: filter.email ? { emails: { some: { address: { contains: filter.email, mode: "insensitive" } } } } : {},
        include: { emails: { where: { primary: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => {
        const primary = row.emails[0];
        return { id: row.id, name: row.name, email: primary?.address ?? null, emailVerified: Boolean(primary?.verifiedAt), createdAt: row.createdAt };
      });
    },
  };
}
