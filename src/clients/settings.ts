/**
 * Tessera's per-client settings, one descriptor each. To add one: a descriptor here and a
 * migration adding its column (prisma/schema.prisma and prisma/migrations/); the type checker
 * refuses a setting column without a descriptor, and a descriptor of the wrong type.
 * The order is the order of the CLI's options and of `client show`.
 */
import type { AnyClientSetting, ClientSettingColumn, ClientSettingTable } from "./client-setting.js";
import { booleanSetting, referenceSetting, textSetting, urlListSetting, urlSetting, wholeNumberSetting } from "./setting-types.js";

export const clientSettings = {
  /**
   * Organisation is the one setting without a flag of its own: operators name it by slug
   * (`--org acme`), which only the organisations room can turn into this column's id, so the
   * CLI resolves it (src/cli/client-service.ts). Its default is the schema's: the default
   * organisation, created by migration.
   */
  organisationId: {
    metadata: "organisation_id",
    type: referenceSetting(),
    description: "organisation the client belongs to",
    label: "organisation",
    registrable: false,
  },
  firstParty: {
    metadata: "first_party",
    type: booleanSetting(),
    description: "skip the consent screen (Tessera's own sites)",
    label: "first party",
    default: false,
    cli: { flag: "first-party", off: "show the consent screen" },
    registrable: false,
  },
  requireVerifiedEmail: {
    metadata: "require_verified_email",
    type: booleanSetting(),
    description: "sign-in waits until the account's email is confirmed",
    label: "verified email",
    default: false,
    cli: { flag: "require-verified-email", off: "do not wait for a confirmed email" },
    registrable: false,
  },
  cooloffHours: {
    metadata: "cooloff_hours",
    type: wholeNumberSetting({ unit: "hours" }),
    description: "accounts younger than this many hours cannot sign in (0: no wait)",
    label: "cooloff hours",
    unset: "0",
    default: null,
    cli: { flag: "cooloff-hours" },
    registrable: false,
  },
  /**
   * Where Shared Signals SETs about the client's users are pushed (RFC 8935). The client can
   * also set it through its stream (SSF 1.0 §8.1, src/push/streams.ts). Registration holds it
   * to https (http only to loopback), as redirect URIs; delivery refuses, in production, an
   * endpoint that resolves into private address space (src/push/push-endpoint.ts).
   */
  pushEndpoint: {
    metadata: "push_endpoint",
    type: urlSetting(),
    description: "where account updates are pushed as Shared Signals SETs (https)",
    label: "push endpoint",
    default: null,
    cli: { flag: "push-endpoint" },
    registrable: true,
  },
  /**
   * A plan id (src/billing/plans.ts, e.g. "premium"): sign-in waits on a page that sends a
   * user without that plan to /account/billing (src/oidc/policy.ts, the `plan` prompt).
   */
  requiredPlan: {
    metadata: "required_plan",
    type: textSetting({ max: 64 }),
    description: "sign-in needs an account on this plan (a plan id such as premium)",
    label: "required plan",
    default: null,
    cli: { flag: "require-plan" },
    registrable: false,
  },
  /**
   * The client's backend may ask for signed sign-in links (src/signin-links, POST
   * /api/sign-in-links). A link signs a person in on the client's word about their address,
   * so only the operator grants it.
   */
  signInLinks: {
    metadata: "sign_in_links",
    type: booleanSetting(),
    description: "the client's backend may ask for signed sign-in links",
    label: "sign-in links",
    default: false,
    cli: { flag: "sign-in-links", off: "refuse the client's requests for sign-in links" },
    registrable: false,
  },
  /**
   * Where a sign-in link may lead: an origin (https://app.example, any page there) or a path
   * prefix (https://app.example/billing/). A target outside every one is refused when the
   * link is asked for, so a link is never an open redirect. Operator-only like the switch:
   * a client widening its own targets would widen what its links can reach.
   */
  signInLinkTargets: {
    metadata: "sign_in_link_targets",
    type: urlListSetting(),
    description: "a page a sign-in link may lead to: an origin or a path prefix (repeat for more)",
    label: "sign-in link targets",
    default: [],
    cli: { flag: "sign-in-link-target" },
    registrable: false,
  },
} satisfies ClientSettingTable;

/** Every setting with its column, in the table's order. */
export const clientSettingList: readonly (AnyClientSetting & { readonly column: ClientSettingColumn })[] = Object.entries(clientSettings).map(
  ([column, setting]) => ({ ...setting, column: column as ClientSettingColumn }),
);
