/**
 * The sign-in link as a login method: when a client's authorization request reaches the
 * login step in a browser whose sign-in link flow for that same client is ready (the person
 * used the link, confirmed their address if needed, and their details), the login finishes
 * with the flow's account without a page — once; the flow is then over. A flow of another
 * client is never looked at: its cookie is the other client's (src/signin-links/service.ts).
 * It has no panel: nobody starts a sign-in link from the login page.
 */
import { flowCookieName, type SignInLinkService } from "../../signin-links/index.js";
import type { LoginMethod } from "../login-method.js";

export function signInLinkLogin(deps: { service: Pick<SignInLinkService, "complete"> }): LoginMethod {
  return {
    name: "signInLinkLogin",
    paths: {},
    panel: async () => undefined,
    async provenAccount(ctx, details) {
      const clientId = details.params.client_id;
      if (typeof clientId !== "string") return undefined;
      const accountId = await deps.service.complete(clientId, ctx.cookies.get(flowCookieName(clientId)));
      if (accountId) ctx.state.log.info({ clientId, accountId }, "signed in with a sign-in link");
      return accountId;
    },
    mount: () => undefined,
  };
}
