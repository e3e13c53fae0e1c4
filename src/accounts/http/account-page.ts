/**
 * Renders /account: every panel's view-model from the services and ports, so each route
 * only says what changed (a notice, or errors with the input to keep).
 */
import { renderPage, type PageContext } from "../../http/edge/index.js";
import type { EmailService } from "../emails.js";
import type { ScopeWords } from "../scope-words.js";
import type { AccountService } from "../service.js";
import type { AccountPageState, AccountPanel, AccountSessions, ConnectedApplications, OrganisationConsents, SecurityActivity } from "./account-ports.js";
import { browserSummary } from "../../security/index.js";
import { printDay, printMoment } from "./dates.js";
import type { SignedInSession } from "./session.js";

export interface AccountPageDeps {
  accounts: AccountService;
  emails: EmailService;
  session: SignedInSession;
  organisations: OrganisationConsents;
  applications: ConnectedApplications;
  sessions: AccountSessions;
  activity: SecurityActivity;
  /** What each scope shares, in words (contributed scopes included). */
  scopeWords: ScopeWords;
  /** The length rule for a new password, for the hint next to its field. */
  passwordLength: { min: number; max: number };
  /** Panels other rooms add, shown after the password panel. */
  panels?: readonly AccountPanel[];
}


/** Only http(s) links are printed: an operator's typo must not become a javascript: link. */
function webLink(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

export function accountPage(deps: AccountPageDeps) {
  return async function render(ctx: PageContext, accountId: string, state: AccountPageState = {}) {
    const account = await deps.accounts.findById(accountId);
    if (!account) return ctx.redirect(deps.session.signInUrl);
    const [panels, emails, consents, applications, sessions, activity] = await Promise.all([
      Promise.all((deps.panels ?? []).map(async (panel) => ({ view: panel.view, locals: await panel.locals(accountId) }))),
      deps.emails.list(accountId),
      deps.organisations.listConsents(accountId),
      deps.applications.list(accountId),
      deps.sessions.list(accountId, await deps.session.sessionId(ctx)),
      deps.activity.recent(accountId),
    ]);
    await renderPage(ctx, "accounts/account", {
      title: "Your account",
      account,
      emails,
      panels,
      organisations: consents.map(({ organisation, grantedAt }) => ({
        id: organisation.id,
        name: organisation.name,
        privacyPolicyUrl: webLink(organisation.privacyPolicyUrl),
        since: printDay(grantedAt),
      })),
      applications: applications.map((application) => ({ ...application, permissions: deps.scopeWords(application.scopes), since: printDay(application.since) })),
      sessions: sessions.map((session) => ({
        ...session,
        signedInAt: printMoment(session.signedInAt),
        lastUsed: session.lastUsed && { at: printMoment(session.lastUsed.at), ip: session.lastUsed.ip, browser: browserSummary(session.lastUsed.userAgent) },
      })),
      activity: activity.map((item) => ({ ...item, at: printMoment(item.at) })),
      activityRetentionDays: deps.activity.retentionDays,
      activityLimit: deps.activity.limit,
      notice: state.notice,
      errors: state.errors,
      newEmail: state.newEmail ?? "",
      name: state.name ?? account.name,
      signOutUrl: deps.session.signOutUrl,
      passwordLength: deps.passwordLength,
    }, "default");
  };
}
