/**
 * The interaction policy: node-oidc-provider's login and consent prompts, plus Tessera's
 * own checks. Each check answers "no need to prompt" or "prompt, for this reason"; the
 * interaction pages dispatch on the reason. A new rule is one new Check.
 */
import { interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import type { AccountService } from "../accounts/index.js";

const { base, Check } = interactionPolicy;

/** Reasons Tessera adds to the login prompt, shown by their own pages. */
export const tesseraReasons = { emailNotVerified: "email_not_verified" } as const;

export function createPolicy(accounts: AccountService) {
  const policy = base();
  const login = policy.get("login")!;
  login.checks.add(
    new Check(
      tesseraReasons.emailNotVerified,
      "the client requires a verified email address",
      "login_required",
      async (ctx: KoaContextWithOIDC) => {
        const { client, session } = ctx.oidc;
        if (!client?.require_verified_email || !session?.accountId) return Check.NO_NEED_TO_PROMPT;
        const account = await accounts.findById(session.accountId);
        return account?.primaryEmail?.verified ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
      },
    ),
  );
  return policy;
}
