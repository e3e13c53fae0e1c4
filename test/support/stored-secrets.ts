/**
 * Reads the database as someone holding a copy of it would: every provider artefact (ids
 * and payloads) and every client row, as text, and answers which of the given secret values
 * appear anywhere in it.
 */
import type { PrismaClient } from "../../src/db/index.js";

export async function storedCopiesOf(prisma: PrismaClient, secrets: Record<string, string | undefined>): Promise<string[]> {
  const rows = [...(await prisma.oidcModel.findMany()), ...(await prisma.client.findMany())];
  const dump = JSON.stringify(rows);
  return Object.entries(secrets).flatMap(([name, value]) => {
    if (!value || value.length < 8) throw new Error(`no usable value for ${name}`);
    return dump.includes(value) ? [name] : [];
  });
}
