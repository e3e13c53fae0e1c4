/**
 * The home page (/) in the operator's brand: what this service is, and what a visitor can
 * do here — sign in (or create an account, from the same page), or, once signed in, open
 * their account or sign out. Tessera is a sign-in service, so the home page is small; links
 * for developers (discovery, keys, and a demo client where one runs) sit below.
 */
import { renderPage, type Edge } from "../../http/edge/index.js";
import type { AccountService } from "../service.js";
import type { SignedInSession } from "./session.js";

export const homePaths = { home: "/" } as const;

export interface HomeDeps {
  /** The operator's product name (BRAND_NAME), the page's title. */
  brandName: string;
  session: SignedInSession;
  accounts: Pick<AccountService, "findById">;
  /** A link to try a sign-in, for developers (the demo client's), when there is one. */
  tryIt?: { label: string; href: string };
}

export function mountHomeRoutes(edge: Edge, deps: HomeDeps): void {
  const router = edge.pages("home", homePaths);
  router.get(homePaths.home, async (ctx) => {
    const accountId = await deps.session.accountId(ctx);
    const account = accountId ? await deps.accounts.findById(accountId) : undefined;
    await renderPage(ctx, "accounts/home", {
      title: deps.brandName,
      signedInAs: account && { name: account.name, email: account.primaryEmail?.address },
      signInUrl: deps.session.signInUrl,
      signOutUrl: deps.session.signOutUrl,
      tryIt: deps.tryIt,
    });
  });
}
