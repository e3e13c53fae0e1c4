/**
 * Trusted-client sign-in links (DESIGN.md feature 9). Rules:
 * - A link is asked for by an authenticated, allowed client (api-routes.ts) for one address
 *   and one registered target; it lives ten minutes (ASVS 5.0 6.5.5) and is used once, by a
 *   POST from its page (mail and chat scanners only GET).
 * - Using it starts a flow in that browser: a cookie per client (flowCookieName) holding a
 *   secret whose hash the link's row keeps, living an hour. The flow is the browser's only
 *   claim to the sign-in; flows of different clients never share a cookie, and a flow is
 *   only ever finished for the client that asked for its link.
 * - The client's word is trusted for a person it has signed in before (a returning user, by
 *   Tessera's sign-in history). Anyone else confirms the address by mail first (the
 *   "sign-in-link" confirmation intent): the confirmation makes the account, or finds the
 *   one that owns that confirmed address. So an allowed client cannot sign in as a Tessera
 *   user it has never met.
 * - Once the person confirmed their details, the flow is "ready": the client's next
 *   authorization request from this browser finishes its login step with the flow's
 *   account (interactions/sign-in-link), once; every other rule of the sign-in policy
 *   (cooloff, terms, organisation consent, plan, OIDC consent) still runs after it.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { ConfirmedAddressAccounts } from "../accounts/index.js";
import { describeValidity, type ConfirmationService, type Tx } from "../confirmation/index.js";
import type { EventRecorder } from "../jobs/index.js";
import type { Clock } from "../shared/index.js";
import { signInLinkPaths } from "./paths.js";
import type { LinkRecord, SignInLinkRepository } from "./repository.js";
import type { LinkTokens } from "./token.js";
import { pathTo } from "../http/edge/index.js";

/** How long a link may wait to be opened (ASVS 5.0 6.5.5: at most ten minutes). */
export const linkValiditySeconds = 10 * 60;
/** How long the browser's flow lives once the link is used: time enough to read one mail. */
export const flowValiditySeconds = 60 * 60;

export interface LinkMail {
  enqueue(tx: Tx, message: { to: string; template: "sign-in-link"; variables: Record<string, string> }): Promise<void>;
}

/** A link as the pages see it. */
export type SignInLink = Pick<LinkRecord, "id" | "clientId" | "email" | "name" | "target" | "accountId">;

export type Opened = { state: "valid"; link: SignInLink } | { state: "spent"; link: SignInLink } | { state: "invalid" };
export type Used = { state: "used"; link: SignInLink; flowKey: string; known: boolean } | { state: "spent"; link: SignInLink } | { state: "invalid" };
export type Flow = { state: "live"; link: SignInLink } | { state: "gone"; link?: SignInLink };

/** The flow cookie of one client: its name holds a hash of the client id, so any id makes a valid name. */
export function flowCookieName(clientId: string): string {
  return `tessera.link.${createHash("sha256").update(clientId).digest("base64url").slice(0, 16)}`;
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("base64url");

function view(row: LinkRecord): SignInLink {
  return { id: row.id, clientId: row.clientId, email: row.email, name: row.name, target: row.target, accountId: row.accountId };
}

export function createSignInLinkService(deps: {
  repo: SignInLinkRepository;
  tokens: LinkTokens;
  clock: Clock;
  issuer: string;
  events: EventRecorder;
  confirmations: ConfirmationService;
  mail: LinkMail;
  accounts: ConfirmedAddressAccounts;
}) {
  const { repo, tokens, clock, events } = deps;
  const signed = (row: LinkRecord) => ({ id: row.id, clientId: row.clientId, email: row.email, target: row.target, expiresAt: row.expiresAt });

  /** The link a token names, if the token is genuine. */
  async function genuine(token: string, tx?: Tx): Promise<LinkRecord | undefined> {
    const id = tokens.idOf(token);
    const row = id ? await repo.find(id, tx) : undefined;
    return row && tokens.verify(token, signed(row)) ? row : undefined;
  }

  return {
    /** Makes a link for a checked address and target; answers its URL and expiry. */
    async issue(clientId: string, input: { email: string; name?: string; target: string }): Promise<{ url: string; expiresAt: Date }> {
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + linkValiditySeconds * 1000);
      const owner = await deps.accounts.ownerOf(input.email);
      const row = await repo.transaction(async (tx) => {
        const created = await repo.create(tx, { id: randomUUID(), clientId, email: input.email, name: input.name ?? null, target: input.target, createdAt: now, expiresAt });
        await events.record(tx, { type: "sign-in-link.issued", clientId, email: input.email, linkId: created.id, ...(owner && { accountId: owner }) });
        return created;
      });
      return { url: `${deps.issuer}${pathTo(signInLinkPaths.link, { token: tokens.sign(signed(row)) })}`, expiresAt };
    },

    /** What the link's page shows, without using it. */
    async open(token: string): Promise<Opened> {
      const row = await genuine(token);
      if (!row) return { state: "invalid" };
      return row.usedAt || row.expiresAt <= clock.now() ? { state: "spent", link: view(row) } : { state: "valid", link: view(row) };
    },

    /** Uses the link (once) and starts the browser's flow. */
    async use(token: string): Promise<Used> {
      const row = await genuine(token);
      if (!row) return { state: "invalid" };
      const now = clock.now();
      const owner = await deps.accounts.ownerOf(row.email);
      const known = owner !== undefined && (await repo.signedInBefore(owner, row.clientId));
      const flowKey = randomBytes(32).toString("base64url");
      const used = await repo.transaction(async (tx) => {
        const flow = { flowKeyHash: hashKey(flowKey), flowExpiresAt: new Date(now.getTime() + flowValiditySeconds * 1000), accountId: known ? owner : null };
        if (!(await repo.use(tx, row.id, now, flow))) return false;
        await events.record(tx, { type: "sign-in-link.used", clientId: row.clientId, email: row.email, linkId: row.id, ...(owner && { accountId: owner }) });
        return true;
      });
      if (!used) return { state: "spent", link: view(row) };
      return { state: "used", link: { ...view(row), accountId: known ? owner : null }, flowKey, known };
    },

    /** The live flow `flowId` when `flowKey` (the browser's cookie for its client) is its own. */
    async flow(flowId: string, flowKey: string | undefined): Promise<Flow> {
      const row = await repo.find(flowId).catch(() => undefined);
      if (!row) return { state: "gone" };
      const live = flowKey && row.flowKeyHash === hashKey(flowKey) && row.flowExpiresAt && row.flowExpiresAt > clock.now() && !row.completedAt;
      return live ? { state: "live", link: view(row) } : { state: "gone", link: view(row) };
    },

    /** Mails a confirmation link for the address the person typed (the first time only). */
    async sendConfirmation(link: SignInLink, address: string, application: string): Promise<void> {
      await repo.transaction(async (tx) => {
        await deps.confirmations.assertMaySend("sign-in-link", link.id, tx);
        const confirmation = await deps.confirmations.create(tx, { intent: "sign-in-link", objectId: link.id, payload: { email: address } });
        await deps.mail.enqueue(tx, { to: address, template: "sign-in-link", variables: { application, link: confirmation.url, expiresIn: describeValidity("sign-in-link") } });
      });
    },

    /**
     * Uses the mailed confirmation: the account owning the address (or a new one) becomes the
     * flow's. Throws what the confirmation module and the accounts room refuse with.
     */
    async confirm(key: string): Promise<SignInLink & { accountId: string }> {
      return deps.confirmations.redeem(key, ["sign-in-link"], async (confirmation, tx) => {
        const row = await repo.find(confirmation.objectId, tx);
        const address = confirmation.payload.email;
        if (!row || !address) throw new Error("sign-in link confirmation without its link");
        const { accountId } = await deps.accounts.ownerOrNew(tx, { address, name: row.name ?? undefined });
        await repo.setAccount(tx, row.id, accountId);
        return { ...view(row), accountId };
      });
    },

    /** The person confirmed their details: the client's next sign-in in this browser may finish. */
    ready: (link: SignInLink) => repo.markReady(link.id, clock.now()),

    /** The account a ready, unfinished flow of this client's cookie names. */
    async readyAccount(clientId: string, flowKey: string | undefined): Promise<string | undefined> {
      const row = flowKey ? await repo.findByFlowKey(hashKey(flowKey)) : undefined;
      const ready = row && row.clientId === clientId && row.readyAt && !row.completedAt && row.flowExpiresAt && row.flowExpiresAt > clock.now();
      return ready ? (row.accountId ?? undefined) : undefined;
    },

    /** Finishes the ready flow with its sign-in (once), recording it; answers its account. */
    async complete(clientId: string, flowKey: string | undefined): Promise<string | undefined> {
      const row = flowKey ? await repo.findByFlowKey(hashKey(flowKey)) : undefined;
      if (!row?.accountId || row.clientId !== clientId) return undefined;
      const accountId = row.accountId;
      const done = await repo.transaction(async (tx) => {
        if (!(await repo.complete(tx, row.id, clock.now()))) return false;
        await events.record(tx, { type: "account.signed-in", accountId, method: "sign-in-link", clientId });
        return true;
      });
      return done ? accountId : undefined;
    },
  };
}

export type SignInLinkService = ReturnType<typeof createSignInLinkService>;
