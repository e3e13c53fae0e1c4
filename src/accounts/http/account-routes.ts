/**
 * /account — the signed-in user's own page ("default" layout): their name, addresses, the
 * organisations and applications they share data with, their sessions, and the way out
 * (account-deletion-routes.ts). Visitors without a session are sent to sign in first.
 * Every change is a form POST on the browser-pages edge. Success answers 303 to /account,
 * which shows the result once (post/redirect/get: no POST URL stays in the address bar for
 * a reload to send again); a refusal shows the page again at once, with its status and the
 * message next to its field (or as the notice).
 */
import type { Edge, Flash, RefusedForm } from "../../http/edge/index.js";
import { formSubmission } from "../../http/edge/index.js";
import type { MailThrottle, SignInThrottle } from "../../security/index.js";
import type { PasswordChange } from "../password-change.js";
import { AppError, FormError, TooManyRequestsError, type Clock } from "../../shared/index.js";
import type { ProfileService } from "../profile.js";
import { addDeletionRoutes } from "./account-deletion-routes.js";
import { accountPage, type AccountPageDeps } from "./account-page.js";
import { accountPaths } from "./paths.js";
import { signedInOnly, type AccountContext, type AccountRouter, type SignedIn } from "./signed-in.js";


const emailActions = ["primary", "remove", "resend"] as const;
type EmailAction = (typeof emailActions)[number];

export interface AccountRoutesDeps extends AccountPageDeps {
  profile: ProfileService;
  clock: Clock;
  mailThrottle: MailThrottle;
  flash: Flash;
  passwordChange: PasswordChange;
  /** Counts wrong current passwords like failed sign-ins. */
  signInThrottle: SignInThrottle;
}

export function mountAccountRoutes(edge: Edge, deps: AccountRoutesDeps): void {
  const router: AccountRouter = edge.pages<SignedIn>("account", accountPaths);
  const page = accountPage(deps);
  /** Shows the page again after a refused form, keeping what was typed. */
  const showAgain = (ctx: AccountContext, { form, errors }: RefusedForm) =>
    page(ctx, ctx.state.accountId, { errors, name: form.has("name") ? form.get("name") : undefined, newEmail: form.get("email") });

  /** The result of a change, shown on /account after the redirect. */
  const done = (ctx: AccountContext, notice: string) => deps.flash.redirect(ctx, accountPaths.home, notice);

  /** Runs an action that answers a notice; a refusal meant for the user becomes the notice, shown at once. */
  async function act(ctx: AccountContext, work: (accountId: string) => Promise<string>) {
    let notice: string;
    try {
      notice = await work(ctx.state.accountId);
    } catch (error) {
      if (!(error instanceof AppError) || !error.expose) throw error;
      ctx.status = error.status;
      if (error instanceof TooManyRequestsError) ctx.set("Retry-After", String(error.retryAfterSeconds));
      return page(ctx, ctx.state.accountId, { notice: error.message });
    }
    done(ctx, notice);
  }

  router.use(signedInOnly(deps.session));

  router.get(accountPaths.home, async (ctx) => page(ctx, ctx.state.accountId, { notice: deps.flash.take(ctx, accountPaths.home) }));

  router.post(
    accountPaths.profile,
    formSubmission<AccountContext>({
      async submit(ctx, form) {
        const { name } = await deps.profile.rename(ctx.state.accountId, form.get("name"));
        done(ctx, `Your name is now ${name}. Applications see it the next time they ask for your details.`);
      },
      showAgain,
    }),
  );

  router.post(
    accountPaths.password,
    formSubmission<AccountContext>({
      async submit(ctx, form) {
        const { accountId } = ctx.state;
        const current = form.get("current_password");
        // A check of the current password counts as a sign-in attempt for the account from
        // this address, forgiven when it succeeds: the form is no way around the throttle.
        const attempt = current ? await deps.signInThrottle.attempt({ address: `account:${accountId}`, ip: ctx.ip }) : undefined;
        try {
          await deps.passwordChange.change(accountId, current, form.get("new_password"), await deps.session.sessionId(ctx));
        } catch (error) {
          // Only a wrong current password counts; a refused new one checked nothing.
          if (!(error instanceof FormError && error.fields.current_password)) await attempt?.forgive();
          throw error;
        }
        await attempt?.forgive();
        ctx.state.log.info({ accountId }, "password changed");
        done(ctx, "Your password is changed. Every other browser and application signed in with your account has to sign in again.");
      },
      showAgain: (ctx, { errors }) => page(ctx, ctx.state.accountId, { errors }),
    }),
  );

  router.post(
    accountPaths.addEmail,
    formSubmission<AccountContext>({
      async submit(ctx, form) {
        // Adding an address mails it: limited per address, so adding someone's address again
        // and again (or adding and removing it) cannot flood them.
        await deps.mailThrottle.request({ kind: "address-link", address: form.get("email"), ip: ctx.ip });
        const { address } = await deps.emails.add(ctx.state.accountId, form.get("email"));
        done(ctx, `We sent a link to ${address}. Open it to confirm the address; until then it stays unverified.`);
      },
      showAgain,
    }),
  );

  router.post(accountPaths.emailAction, async (ctx) => {
    const action = ctx.params.action as EmailAction;
    if (!emailActions.includes(action)) throw new AppError("accounts.unknown_action", "That action does not exist.", 404);
    const emailId = ctx.params.id!;
    await act(ctx, async (accountId) => {
      if (action === "primary") return `${(await deps.emails.makePrimary(accountId, emailId)).address} is now your primary address.`;
      if (action === "remove") return `${(await deps.emails.remove(accountId, emailId)).address} was removed from your account.`;
      const email = (await deps.emails.list(accountId)).find((candidate) => candidate.id === emailId);
      if (email && !email.verified) await deps.mailThrottle.request({ kind: "address-link", address: email.address, ip: ctx.ip, field: "form" });
      return `We sent a new link to ${(await deps.emails.resendVerification(accountId, emailId)).address}.`;
    });
  });

  router.post(accountPaths.withdrawConsent, async (ctx) => {
    const organisationId = ctx.params.id!;
    await act(ctx, async (accountId) => {
      const consent = (await deps.organisations.listConsents(accountId)).find((candidate) => candidate.organisation.id === organisationId);
      if (!consent || !(await deps.organisations.withdrawConsent(accountId, organisationId, deps.clock.now()))) {
        throw new AppError("accounts.consent_not_found", "You do not share your data with that organisation, so there is nothing to withdraw.", 404);
      }
      // Withdrawing means the organisation's sites stop receiving data now, not when their
      // tokens expire.
      for (const clientId of await deps.organisations.clientIdsOf(organisationId)) await deps.applications.revoke(accountId, clientId);
      ctx.state.log.info({ accountId, organisationId }, "organisation consent withdrawn");
      return `You no longer share your data with ${consent.organisation.name}. Its sites lost access and will ask you again the next time you sign in to one of them.`;
    });
  });

  router.post(accountPaths.revokeApplication, async (ctx) => {
    const clientId = ctx.params.clientId!;
    await act(ctx, async (accountId) => {
      const revoked = await deps.applications.revoke(accountId, clientId);
      if (!revoked) throw new AppError("accounts.application_not_connected", "That application has no access to your account.", 404);
      ctx.state.log.info({ accountId, clientId }, "application access revoked");
      return `${revoked.name} can no longer access your account. To use it again, sign in to it and allow it again.`;
    });
  });

  router.post(accountPaths.endSession, async (ctx) => {
    const handle = ctx.params.handle!;
    await act(ctx, async (accountId) => {
      const current = (await deps.sessions.list(accountId, await deps.session.sessionId(ctx))).find((session) => session.current);
      if (current?.handle === handle) {
        throw new AppError("accounts.current_session", "That is this browser's session: use Sign out to end it.", 409);
      }
      if (!(await deps.sessions.end(accountId, handle))) {
        throw new AppError("accounts.session_not_found", "That session has already ended.", 404);
      }
      ctx.state.log.info({ accountId }, "other session signed out");
      return "That session is signed out. The browser using it has to sign in again.";
    });
  });

  for (const panel of deps.panels ?? []) panel.mount?.(router, page);
  addDeletionRoutes(router, { path: accountPaths.deleteAccount, profile: deps.profile, accounts: deps.accounts, signOutUrl: deps.session.signOutUrl });
}
