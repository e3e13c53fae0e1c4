/**
 * The pages a sign-in link opens (service.ts has the rules):
 *   GET  /sign-in-link/:token           "Continue to <application>" — the token is not used
 *   POST /sign-in-link/:token           uses it; a returning person goes to their details, anyone else to
 *   GET|POST …/flow/:flow/email         the address to confirm (pre-filled, editable) → a mail
 *   /confirm/:key (intent sign-in-link) the mailed link: the account is made or found → details
 *   GET|POST …/flow/:flow/details       "Confirm your details" (name; terms if pending) → the client's
 *                                       initiate_login_uri with iss, login_hint and target_link_uri
 *                                       (OIDC Core §4, third-party-initiated login)
 * A link already used or expired, and a flow that expired, is not in this browser or ended,
 * sends the person to the client's entry URL — its initiate_login_uri with iss and the
 * target_link_uri — so the client starts over and the target is kept. Only a token that is
 * not genuine gets a page of its own: it names no client to go back to.
 */
import type { TermsService } from "../accounts/index.js";
import type { ConfirmationHandler } from "../confirmation/index.js";
import { confirmationPaths } from "../confirmation/index.js";
import { formSubmission, pathTo, renderPage, type Edge, type PageContext, type RefusedForm } from "../http/edge/index.js";
import type { MailThrottle } from "../security/index.js";
import { FormError } from "../shared/index.js";
import { emailProblem } from "../accounts/index.js";
import { signInLinkPaths } from "./paths.js";
import { flowCookieName, flowValiditySeconds, type SignInLink, type SignInLinkService } from "./service.js";

/** The client a link belongs to, as the pages need it. */
export interface LinkClient {
  id: string;
  name: string;
  initiateLoginUri?: string;
}

export type LinkClients = (clientId: string) => Promise<LinkClient | undefined>;

interface Deps {
  service: SignInLinkService;
  clients: LinkClients;
  issuer: string;
  accounts: { findById(id: string): Promise<{ name: string; primaryEmail?: { address: string } } | undefined> };
  terms: Pick<TermsService, "pendingFor" | "accept">;
  rename(accountId: string, name: string): Promise<unknown>;
  mailThrottle: MailThrottle;
  secureCookies: boolean;
}

/** The client's initiate_login_uri with the parameters of OIDC Core §4 (the target when it has none). */
function handBack(issuer: string, client: LinkClient | undefined, target: string, loginHint?: string): string {
  if (!client?.initiateLoginUri) return target;
  const url = new URL(client.initiateLoginUri);
  url.searchParams.set("iss", issuer);
  if (loginHint) url.searchParams.set("login_hint", loginHint);
  url.searchParams.set("target_link_uri", target);
  return url.href;
}

function notValid(ctx: PageContext): Promise<void> {
  ctx.status = 404;
  return renderPage(ctx, "signin-links/invalid", { title: "This sign-in link is not valid" });
}

export function signInLinkConfirmationHandler(deps: Deps): ConfirmationHandler {
  return {
    intent: "sign-in-link",
    async show(ctx, confirmation, key) {
      await renderPage(ctx, "accounts/confirm-email", { title: "Confirm your email address", address: confirmation.payload.email, action: pathTo(confirmationPaths.link, { key }) });
    },
    async confirm(ctx, key) {
      const link = await deps.service.confirm(key);
      ctx.state.log.info({ clientId: link.clientId, accountId: link.accountId }, "sign-in link address confirmed");
      const flow = await deps.service.flow(link.id, ctx.cookies.get(flowCookieName(link.clientId)));
      ctx.status = 303;
      if (flow.state === "live") return ctx.redirect(pathTo(signInLinkPaths.details, { flow: link.id }));
      // Another browser, or the flow ran out: the account exists now; the client starts over.
      ctx.redirect(handBack(deps.issuer, await deps.clients(link.clientId), link.target));
    },
  };
}

export function mountSignInLinkPages(edge: Edge, deps: Deps): void {
  const router = edge.pages("signInLink", signInLinkPaths);
  const { service } = deps;

  const toEntry = async (ctx: PageContext, link: SignInLink) => {
    ctx.status = 303;
    ctx.redirect(handBack(deps.issuer, await deps.clients(link.clientId), link.target));
  };

  /** The live flow the path names, or a redirect away (and undefined). */
  async function liveFlow(ctx: PageContext): Promise<SignInLink | undefined> {
    const flowId = ctx.params.flow!;
    const link = (await service.flow(flowId, undefined)).link;
    const flow = link ? await service.flow(flowId, ctx.cookies.get(flowCookieName(link.clientId))) : { state: "gone" as const };
    if (flow.state === "live") return flow.link;
    if (flow.link) await toEntry(ctx, flow.link);
    else await notValid(ctx);
    return undefined;
  }

  const applicationOf = async (link: SignInLink) => (await deps.clients(link.clientId))?.name ?? link.clientId;

  router.get(signInLinkPaths.link, async (ctx) => {
    const opened = await service.open(ctx.params.token!);
    if (opened.state === "invalid") return notValid(ctx);
    if (opened.state === "spent") return toEntry(ctx, opened.link);
    await renderPage(ctx, "signin-links/link", {
      title: `Continue to ${await applicationOf(opened.link)}`,
      application: { name: await applicationOf(opened.link) },
      email: opened.link.email,
      action: pathTo(signInLinkPaths.link, { token: ctx.params.token! }),
    });
  });

  router.post(signInLinkPaths.link, async (ctx) => {
    const used = await service.use(ctx.params.token!);
    if (used.state === "invalid") return notValid(ctx);
    if (used.state === "spent") return toEntry(ctx, used.link);
    ctx.cookies.set(flowCookieName(used.link.clientId), used.flowKey, {
      httpOnly: true,
      sameSite: "lax",
      secure: deps.secureCookies,
      path: "/",
      maxAge: flowValiditySeconds * 1000,
    });
    ctx.state.log.info({ clientId: used.link.clientId, known: used.known }, "sign-in link used");
    ctx.status = 303;
    ctx.redirect(pathTo(used.known ? signInLinkPaths.details : signInLinkPaths.email, { flow: used.link.id }));
  });

  async function showEmail(ctx: PageContext, link: SignInLink, refused?: RefusedForm) {
    await renderPage(ctx, "signin-links/email", {
      title: "Confirm your email address",
      application: { name: await applicationOf(link) },
      email: refused ? refused.form.get("email") : link.email,
      action: pathTo(signInLinkPaths.email, { flow: link.id }),
      errors: refused?.errors,
    });
  }

  router.get(signInLinkPaths.email, async (ctx) => {
    const link = await liveFlow(ctx);
    if (!link) return;
    if (link.accountId) return void ctx.redirect(pathTo(signInLinkPaths.details, { flow: link.id }));
    await showEmail(ctx, link);
  });

  router.post(
    signInLinkPaths.email,
    formSubmission<PageContext>({
      async submit(ctx, form) {
        const link = await liveFlow(ctx);
        if (!link) return;
        const address = form.get("email").trim();
        const problem = emailProblem(address);
        if (problem) throw new FormError({ email: problem });
        await deps.mailThrottle.request({ kind: "sign-up", address, ip: ctx.ip });
        await service.sendConfirmation(link, address, await applicationOf(link));
        await renderPage(ctx, "signin-links/check-inbox", { title: "Check your email", address, application: { name: await applicationOf(link) } });
      },
      async showAgain(ctx, refused) {
        const link = await liveFlow(ctx);
        if (link) await showEmail(ctx, link, refused);
      },
    }),
  );

  async function showDetails(ctx: PageContext, link: SignInLink & { accountId: string }, refused?: RefusedForm) {
    const account = await deps.accounts.findById(link.accountId);
    if (!account) return toEntry(ctx, link);
    await renderPage(ctx, "signin-links/details", {
      title: "Confirm your details",
      application: { name: await applicationOf(link) },
      email: account.primaryEmail?.address,
      name: refused ? refused.form.get("name") : account.name,
      terms: await deps.terms.pendingFor(link.accountId),
      action: pathTo(signInLinkPaths.details, { flow: link.id }),
      errors: refused?.errors,
    });
  }

  /** The live flow with its account, or a redirect to where the flow is at. */
  async function flowWithAccount(ctx: PageContext): Promise<(SignInLink & { accountId: string }) | undefined> {
    const link = await liveFlow(ctx);
    if (link && !link.accountId) {
      ctx.status = 303;
      ctx.redirect(pathTo(signInLinkPaths.email, { flow: link.id }));
    }
    return link?.accountId ? { ...link, accountId: link.accountId } : undefined;
  }

  router.get(signInLinkPaths.details, async (ctx) => {
    const link = await flowWithAccount(ctx);
    if (link) await showDetails(ctx, link);
  });

  router.post(
    signInLinkPaths.details,
    formSubmission<PageContext>({
      async submit(ctx, form) {
        const link = await flowWithAccount(ctx);
        if (!link) return;
        const name = form.get("name");
        if (await deps.terms.pendingFor(link.accountId)) {
          await deps.terms.accept(link.accountId, { version: form.get("version"), accepted: form.get("accept") === "yes", name });
        } else {
          await deps.rename(link.accountId, name);
        }
        await service.ready(link);
        const account = await deps.accounts.findById(link.accountId);
        ctx.state.log.info({ clientId: link.clientId, accountId: link.accountId }, "sign-in link details confirmed");
        ctx.status = 303;
        ctx.redirect(handBack(deps.issuer, await deps.clients(link.clientId), link.target, account?.primaryEmail?.address));
      },
      async showAgain(ctx, refused) {
        const link = await flowWithAccount(ctx);
        if (link) await showDetails(ctx, link, refused);
      },
    }),
  );
}
