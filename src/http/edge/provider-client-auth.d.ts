/**
 * node-oidc-provider's client authentication middleware (lib/shared/client_auth.js), the
 * chain its token, introspection and revocation endpoints run. The package has no
 * "exports" map, so the module is reachable; it has no types of its own.
 */
declare module "oidc-provider/lib/shared/client_auth.js" {
  import type { Middleware } from "koa";

  const clientAuth: Middleware[];
  export default clientAuth;
}
