/**
 * A login method: one way to prove who you are on the login page (password today; wallet
 * signature and sign-in links next). A method adds its part of the login page (a panel),
 * and its own routes under /interaction/:uid/, and ends the same way as every other: with
 * `kit.finishLogin(ctx, accountId)`. Adding one is a module and one entry in the list that
 * the composition root passes to mountInteractionRoutes.
 */
import type Provider from "oidc-provider";
import type { ApiRouter, Paths, RefusedForm } from "../http/edge/index.js";
import type { InteractionContext, InteractionDetails, InteractionRequest, InteractionRouter } from "./interaction.js";

/**
 * The method's part of the login page: a view under views/ rendered with these locals.
 * `interactions/method-button` is one button posting to `action` with the text `label`,
 * for methods whose work happens on a page of their own.
 */
export interface LoginPanel {
  view: string;
  locals: Record<string, unknown>;
}

export interface LoginKit {
  provider: Provider;
  /** The request's interaction (loaded once), for a page or a JSON API request alike. */
  interaction(ctx: InteractionRequest): Promise<InteractionDetails>;
  /** Ends the interaction with a login for the account: the one way a method finishes. */
  finishLogin(ctx: InteractionContext, accountId: string): Promise<void>;
  /** finishLogin for a JSON API: answers the URL where the browser continues the authorization. */
  loginResult(ctx: InteractionRequest, accountId: string): Promise<string>;
  /** Shows the login page again, this method's panel with what it refused. */
  showLogin(ctx: InteractionContext, details: InteractionDetails, refused: { method: string } & RefusedForm): Promise<void>;
  /** Renders a page of the method's own in the sign-in layout (uid and application included). */
  render(ctx: InteractionContext, details: InteractionDetails, page: string, locals: Record<string, unknown>): Promise<void>;
}

export interface LoginMethod {
  /** Identifies the method; its paths are shown to views as `paths.<name>`. */
  name: string;
  /** The method's routes, under /interaction/:uid/. */
  paths: Paths;
  /** Its panel on the login page (none for a method with nothing to show); `refused` is set when its own form was just refused. */
  panel(ctx: InteractionContext, details: InteractionDetails, refused?: RefusedForm): Promise<LoginPanel | undefined>;
  /**
   * For a method proved before the login page opens (a used sign-in link): the account to
   * sign in without showing the page, if this request carries such a proof.
   */
  provenAccount?(ctx: InteractionContext, details: InteractionDetails): Promise<string | undefined>;
  /** Adds the method's routes to a page router of its own. */
  mount(router: InteractionRouter, kit: LoginKit): void;
  /** Adds the method's JSON API for script-driven front ends, if it has one, to an API router of its own. */
  mountApi?(router: ApiRouter, kit: LoginKit): void;
}
