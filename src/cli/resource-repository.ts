/** The `resource_server` table (RFC 8707 resource servers) for the operator's commands. */
import type { PrismaClient } from "../db/index.js";

export interface ResourceServerRecord {
  identifier: string;
  name: string;
  /** Space-separated scopes the server accepts. */
  scope: string;
  accessTokenTtl: number;
  createdAt: Date;
}

export type ResourceServerChanges = Partial<Pick<ResourceServerRecord, "name" | "scope" | "accessTokenTtl">>;

export function createResourceServerRepository(prisma: PrismaClient) {
  return {
    async find(identifier: string): Promise<ResourceServerRecord | undefined> {
      return (await prisma.resourceServer.findUnique({ where: { identifier } })) ?? undefined;
    },

    list: (): Promise<ResourceServerRecord[]> => prisma.resourceServer.findMany({ orderBy: { identifier: "asc" } }),

    create: (record: Omit<ResourceServerRecord, "createdAt" | "accessTokenTtl"> & { accessTokenTtl?: number }): Promise<ResourceServerRecord> =>
      prisma.resourceServer.create({ data: record }),

    update: (identifier: string, changes: ResourceServerChanges): Promise<ResourceServerRecord> => prisma.resourceServer.update({ where: { identifier }, data: changes }),

    async delete(identifier: string): Promise<boolean> {
      return (await prisma.resourceServer.deleteMany({ where: { identifier } })).count > 0;
    },
  };
}
