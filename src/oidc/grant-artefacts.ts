/**
 * What revoking a grant deletes from the provider's table: the Grant itself and every
 * artefact it issued (access and refresh tokens, codes, device codes), found by their
 * grantId.
 * An Interaction is left alone although it carries a grantId too: node-oidc-provider writes
 * the session's grant for the client onto every sign-in it starts, so a sign-in in progress
 * is not something the grant issued but the browser's next step. Deleting it is what broke
 * switching accounts (the provider revokes A's grant while B's sign-in is resuming) and a
 * sign-in waiting in another tab while the application was revoked on the account page.
 */
import type { Prisma } from "../db/index.js";

export function grantArtefacts(grantIds: readonly string[]): Prisma.OidcModelWhereInput {
  return {
    OR: [
      { grantId: { in: [...grantIds] }, model: { not: "Interaction" } },
      { model: "Grant", id: { in: [...grantIds] } },
    ],
  };
}
