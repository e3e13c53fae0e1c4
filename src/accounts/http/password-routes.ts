/**
 * /password/forgot — ask for a reset link. The answer never reveals whether an account
 * exists; requests are throttled per IP and per address typed, known or not.
 */
import { formSubmission, renderPage, type Edge, type PageContext } from "../../http/edge/index.js";
import type { MailThrottle } from "../../security/index.js";
import type { PasswordResetService } from "../password-reset.js";
import { passwordPaths } from "./paths.js";

/** The sign-in this reset was asked from, so the mail's link can lead back to it. */
const interactionOf = (value: unknown) => (typeof value === "string" && /^[\w-]{1,64}$/.test(value) ? value : undefined);

export function mountPasswordRoutes(edge: Edge, passwordReset: PasswordResetService, mailThrottle: MailThrottle): void {
  const router = edge.pages("password", passwordPaths);
  const forgotPage = (ctx: PageContext, input: { email: string; interaction?: string; errors?: Record<string, string> }) =>
    renderPage(ctx, "accounts/forgot-password", { title: "Reset your password", ...input });

  router.get(passwordPaths.forgot, async (ctx) =>
    forgotPage(ctx, { email: typeof ctx.query.email === "string" ? ctx.query.email : "", interaction: interactionOf(ctx.query.interaction) }),
  );

  router.post(
    passwordPaths.forgot,
    formSubmission<PageContext>({
      async submit(ctx, form) {
        await mailThrottle.request({ kind: "password-reset", address: form.get("email"), ip: ctx.ip });
        const interaction = interactionOf(form.get("interaction"));
        const { address } = await passwordReset.request(form.get("email"), { interactionUid: interaction });
        await renderPage(ctx, "accounts/link-sent", { title: "Check your email", address, reset: true, interaction });
      },
      showAgain: (ctx, { form, errors }) => forgotPage(ctx, { email: form.get("email"), interaction: interactionOf(form.get("interaction")), errors }),
    }),
  );
}
