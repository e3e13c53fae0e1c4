/**
 * A sign-in step is the page for one check of the sign-in policy (src/oidc/policy.ts): GET
 * /interaction/:uid shows the step whose prompt (and reason, where one prompt has several
 * pages) is pending, and the step mounts its own form posts. Adding a step is a Check in
 * the policy, a module here, and one entry in routes.ts's list.
 */
import type Provider from "oidc-provider";
import { renderPage } from "../http/edge/index.js";
import { clientDisplay, type InteractionContext, type InteractionDetails, type InteractionRouter } from "./interaction.js";

export interface SignInStep {
  /** The prompt this step answers (a name from the policy). */
  prompt: string;
  /** When set, the step answers the prompt only for this reason. */
  reason?: string;
  show(ctx: InteractionContext, details: InteractionDetails): Promise<void>;
  /** The step's own routes under /interaction/:uid/. */
  mount?(router: InteractionRouter): void;
}

/** Renders a step's page in the "single" layout with what every step shows: the uid and the application. */
export async function renderStep(
  ctx: InteractionContext,
  provider: Provider,
  details: InteractionDetails,
  page: string,
  locals: Record<string, unknown>,
): Promise<void> {
  await renderPage(ctx, page, { uid: details.uid, application: await clientDisplay(provider, details.params.client_id), ...locals });
}

/** The step for the interaction's pending prompt: one with a matching reason first, then the prompt's own. */
export function stepFor(steps: readonly SignInStep[], details: InteractionDetails): SignInStep | undefined {
  const { name, reasons } = details.prompt;
  return (
    steps.find((step) => step.prompt === name && step.reason !== undefined && reasons.includes(step.reason)) ??
    steps.find((step) => step.prompt === name && step.reason === undefined)
  );
}
