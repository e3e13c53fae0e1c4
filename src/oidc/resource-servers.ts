/**
 * Resource indicators (RFC 8707): a client may ask for an access token for one of the
 * registered resource servers; it gets a JWT access token (RFC 9068) whose audience is that
 * server and whose scopes are limited to what the server accepts. Unknown resources get
 * `invalid_target`.
 */
import { errors, type KoaContextWithOIDC, type ResourceServer } from "oidc-provider";
import type { PrismaClient } from "../db/index.js";

export function resourceServerLookup(prisma: PrismaClient) {
  return async (_ctx: KoaContextWithOIDC, indicator: string): Promise<ResourceServer> => {
    const server = await prisma.resourceServer.findUnique({ where: { identifier: indicator } });
    if (!server) throw new errors.InvalidTarget(`${indicator} is not a registered resource server`);
    return {
      scope: server.scope,
      audience: server.identifier,
      accessTokenTTL: server.accessTokenTtl,
      accessTokenFormat: "jwt",
      jwt: { sign: { alg: "RS256" } },
    };
  };
}

/** A registered resource server's display name, for consent pages. */
export function resourceServerNames(prisma: PrismaClient) {
  return async (identifier: string): Promise<string | undefined> =>
    (await prisma.resourceServer.findUnique({ where: { identifier }, select: { name: true } }))?.name;
}
