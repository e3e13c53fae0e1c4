/**
 * The sign-in policy: the chain of checks every authorization passes, in order —
 *   login (+ verified email where the client requires it) → account-age cooloff →
 *   current terms of service → required plan → consent (the organisation's, where it asks
 *   for it, and the OIDC scopes').
 * Each check answers "continue" or "show this step" with a reason; /interaction/:uid
 * dispatches on the prompt's name. Checks run on every authorization, silent ones
 * included: with prompt=none a pending step becomes the check's OIDC error instead of a page.
 * Adding a rule is adding one Check here and its page in src/interactions.
 */
import { interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import type { AccountService, TermsService } from "../accounts/index.js";
import type { BillingService } from "../billing/index.js";
import { cooloffEndsAt, type OrganisationRepository } from "../orgs/index.js";
import type { Clock } from "../shared/index.js";

const { base, Check, Prompt } = interactionPolicy;

/** Prompt names and reasons Tessera adds, shown by their own pages. */
export const tesseraPrompts = { cooloff: "cooloff", terms: "terms", plan: "plan" } as const;
export const tesseraReasons = {
  emailNotVerified: "email_not_verified",
  accountTooYoung: "account_too_young",
  termsNotAccepted: "terms_not_accepted",
  organisationConsentMissing: "organisation_consent_missing",
  planRequired: "plan_required",
  signInLinkForAnother: "sign_in_link_for_another_account",
} as const;

export interface PolicyDeps {
  accounts: AccountService;
  terms: TermsService;
  organisations: OrganisationRepository;
  /** The plan in force for an account (src/billing). */
  plans: Pick<BillingService, "claims">;
  clock: Clock;
  /**
   * The account a finished sign-in link flow in this browser names for the client
   * (src/signin-links), if any: the login step then signs that account in.
   */
  signInLinkAccount?(ctx: KoaContextWithOIDC, clientId: string): Promise<string | undefined>;
}

const signedInAccount = (ctx: KoaContextWithOIDC) => ctx.oidc.session?.accountId;

export function createPolicy(deps: PolicyDeps) {
  const policy = base();

  policy.get("login")!.checks.add(
    new Check(tesseraReasons.emailNotVerified, "the client requires a verified email address", "login_required", async (ctx: KoaContextWithOIDC) => {
      const accountId = signedInAccount(ctx);
      if (!ctx.oidc.client?.require_verified_email || !accountId) return Check.NO_NEED_TO_PROMPT;
      const account = await deps.accounts.findById(accountId);
      return account?.primaryEmail?.verified ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );

  // A sign-in link's person confirmed their details for this client, but the browser's
  // session is someone else's (or no one's is needed yet): the login step runs, so the link's
  // account signs in instead of the session's silently carrying on as another person.
  policy.get("login")!.checks.add(
    new Check(tesseraReasons.signInLinkForAnother, "a sign-in link in this browser names another account", "login_required", async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId;
      const linked = clientId && deps.signInLinkAccount ? await deps.signInLinkAccount(ctx, clientId) : undefined;
      return linked && linked !== signedInAccount(ctx) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );

  const cooloffOf = async (ctx: KoaContextWithOIDC) => {
    const accountId = signedInAccount(ctx);
    const hours = ctx.oidc.client?.cooloff_hours as number | undefined;
    if (!accountId || !hours) return undefined;
    const account = await deps.accounts.findById(accountId);
    return account && cooloffEndsAt(account.createdAt, hours, deps.clock.now());
  };
  const cooloff = new Prompt(
    { name: tesseraPrompts.cooloff, requestable: false },
    new Check(
      tesseraReasons.accountTooYoung,
      "the account is younger than the client's cooloff",
      "login_required",
      async (ctx: KoaContextWithOIDC) => ((await cooloffOf(ctx)) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT),
      async (ctx: KoaContextWithOIDC) => ({ cooloffEndsAt: (await cooloffOf(ctx))?.toISOString() }),
    ),
  );

  const terms = new Prompt(
    { name: tesseraPrompts.terms, requestable: false },
    new Check(tesseraReasons.termsNotAccepted, "the current terms of service are not accepted", "interaction_required", async (ctx: KoaContextWithOIDC) => {
      const accountId = signedInAccount(ctx);
      return accountId && (await deps.terms.pendingFor(accountId)) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );

  // The organisation's consent is a reason of the consent prompt rather than a prompt of its
  // own: it asks about the same data, so one page answers both (the organisation's for all
  // its sites, the scopes' for this application) instead of two in a row.
  policy.get("consent")!.checks.add(
    new Check(
      tesseraReasons.organisationConsentMissing,
      "the client's organisation requires consent before sharing data",
      "consent_required",
      async (ctx: KoaContextWithOIDC) => {
        const accountId = signedInAccount(ctx);
        const organisationId = ctx.oidc.client?.organisation_id as string | undefined;
        if (!accountId || !organisationId) return Check.NO_NEED_TO_PROMPT;
        const org = await deps.organisations.findById(organisationId);
        if (!org?.requireConsent) return Check.NO_NEED_TO_PROMPT;
        return (await deps.organisations.hasConsent(accountId, org.id)) ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
      },
    ),
  );

  // A client's required_plan: the account must have that plan in force. The user has
  // something to do (subscribe), so prompt=none answers interaction_required (OIDC Core
  // §3.1.2.6).
  const requiredPlan = (ctx: KoaContextWithOIDC) => ctx.oidc.client?.required_plan as string | undefined;
  const plan = new Prompt(
    { name: tesseraPrompts.plan, requestable: false },
    new Check(
      tesseraReasons.planRequired,
      "the client requires a plan the account does not have",
      "interaction_required",
      async (ctx: KoaContextWithOIDC) => {
        const accountId = signedInAccount(ctx);
        const required = requiredPlan(ctx);
        if (!accountId || !required) return Check.NO_NEED_TO_PROMPT;
        return (await deps.plans.claims(accountId)).plan === required ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
      },
      (ctx: KoaContextWithOIDC) => ({ requiredPlan: requiredPlan(ctx) }),
    ),
  );

  const consentIndex = policy.findIndex((prompt) => prompt.name === "consent");
  policy.add(plan, consentIndex);
  policy.add(terms, consentIndex);
  policy.add(cooloff, consentIndex);
  return policy;
}
