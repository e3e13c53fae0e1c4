/**
 * Where Tessera's client policy meets node-oidc-provider's client metadata. Policy lives in
 * columns (set by operators only); the provider sees it as extra metadata so that its
 * hooks can read it from `ctx.oidc.client`. Metadata coming from the provider (dynamic
 * registration) never sets policy: that would let a client grant itself privileges.
 */
import type { AdapterPayload } from "oidc-provider";
import type { Prisma } from "../db/index.js";

/** Extra client metadata names, registered with the provider as `extraClientMetadata`. */
export const tesseraClientMetadata = ["first_party", "require_verified_email", "cooloff_hours", "organisation_id"] as const;

interface ClientRow {
  id: string;
  metadata: Prisma.JsonValue;
  firstParty: boolean;
  requireVerifiedEmail: boolean;
  cooloffHours: number | null;
  organisationId: string;
}

export function clientMetadataFromRow(row: ClientRow): AdapterPayload {
  const metadata = row.metadata as AdapterPayload;
  return {
    ...metadata,
    client_id: row.id,
    first_party: row.firstParty,
    require_verified_email: row.requireVerifiedEmail,
    cooloff_hours: row.cooloffHours ?? undefined,
    organisation_id: row.organisationId,
  };
}

export function clientRowFromMetadata(payload: AdapterPayload): { metadata: Prisma.InputJsonValue } {
  const metadata: Record<string, unknown> = { ...payload };
  for (const name of tesseraClientMetadata) delete metadata[name];
  return { metadata: metadata as Prisma.InputJsonValue };
}
