/**
 * POST /api/sign-in-links — a client's backend asks for a sign-in link:
 *
 *   http -a CLIENT:SECRET POST :3000/api/sign-in-links email=ann@example.com name='Ann' target=https://app.example/billing/
 *   → 201 { "url": "…/sign-in-link/…", "expires_at": "…", "expires_in": 600 }
 *
 * The client authenticates as at the token endpoint (edge.api's forClients). Refusals, in
 * OAuth's error shape: invalid_client (401) for bad credentials; unauthorized_client (403)
 * for a client the operator has not allowed sign-in links, or one without an
 * initiate_login_uri to hand the person back through; invalid_request for a bad address or
 * name; invalid_target for a target outside the client's registered ones; 429 with
 * Retry-After past the per-client and per-address limits.
 */
import { emailProblem, nameProblem } from "../accounts/index.js";
import { ApiError, jsonBody, type ApiContext, type AuthenticatedClient, type ClientHandler, type Edge } from "../http/edge/index.js";
import type { SignInLinkThrottle } from "../security/index.js";
import { TooManyRequestsError } from "../shared/index.js";
import { signInLinkApiPath } from "./paths.js";
import { linkValiditySeconds, type SignInLinkService } from "./service.js";
import { checkTarget } from "./targets.js";

type ForClients = (handler: ClientHandler) => (ctx: ApiContext) => Promise<void>;

function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ApiError("invalid_request", `${name} must be a string.`);
  return value.trim();
}

/** The client's own settings, as the provider loaded them (src/clients/settings.ts). */
function linkSettings(client: AuthenticatedClient): { allowed: boolean; targets: string[]; initiateLoginUri?: string } {
  const targets = client["sign_in_link_targets"];
  return {
    allowed: client["sign_in_links"] === true,
    targets: Array.isArray(targets) ? targets.filter((item): item is string => typeof item === "string") : [],
    initiateLoginUri: client.initiateLoginUri,
  };
}

export function mountSignInLinkApi(edge: Edge, deps: { forClients: ForClients; service: SignInLinkService; throttle: SignInLinkThrottle }): void {
  const router = edge.api();
  router.post(
    signInLinkApiPath,
    deps.forClients(async (ctx, client) => {
      const settings = linkSettings(client);
      if (!settings.allowed) throw new ApiError("unauthorized_client", "This client may not ask for sign-in links. The operator allows it with `tessera client update <id> --sign-in-links`.", 403);
      if (!settings.initiateLoginUri) throw new ApiError("unauthorized_client", "This client has no initiate_login_uri, through which a sign-in link hands the person back to it.", 403);
      const body = jsonBody(ctx);
      const email = text(body, "email") ?? "";
      const name = text(body, "name") || undefined;
      const problem = emailProblem(email);
      if (problem) throw new ApiError("invalid_request", `email: ${problem}`);
      const nameIssue = name === undefined ? undefined : nameProblem(name);
      if (nameIssue) throw new ApiError("invalid_request", `name: ${nameIssue}`);
      const target = checkTarget(body.target, settings.targets);
      if (!target.ok) throw new ApiError("invalid_target", target.problem);
      try {
        await deps.throttle.request({ clientId: client.clientId, address: email });
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        ctx.set("Retry-After", String(error.retryAfterSeconds));
        throw new ApiError("too_many_requests", error.message, 429);
      }
      const link = await deps.service.issue(client.clientId, { email, name, target: target.target });
      ctx.state.log.info({ clientId: client.clientId }, "sign-in link issued");
      ctx.status = 201;
      ctx.body = { url: link.url, expires_at: link.expiresAt.toISOString(), expires_in: linkValiditySeconds };
    }),
  );
}
