/** The login prompt: sign in with email and password, or create an account. */
import type { Context } from "koa";
import type Provider from "oidc-provider";
import type { AccountService } from "../accounts/index.js";
import { passwordLength } from "../accounts/index.js";
import { FormError } from "../shared/index.js";
import { field, type Form } from "./form.js";
import { clientDisplay, finishInteraction, type InteractionDetails } from "./interaction.js";
import { render } from "./render.js";

type FieldErrors = Record<string, string>;

export async function showLogin(ctx: Context, provider: Provider, details: InteractionDetails, input: { email?: string; errors?: FieldErrors } = {}) {
  await render(ctx, "interactions/login", {
    title: "Sign in",
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    email: input.email ?? (typeof details.params.login_hint === "string" ? details.params.login_hint : ""),
    errors: input.errors ?? {},
    hasErrors: Boolean(input.errors && Object.keys(input.errors).length),
  });
}

export async function showRegister(ctx: Context, provider: Provider, details: InteractionDetails, input: { name?: string; email?: string; errors?: FieldErrors } = {}) {
  await render(ctx, "interactions/register", {
    title: "Create your account",
    uid: details.uid,
    application: await clientDisplay(provider, details.params.client_id),
    name: input.name ?? "",
    email: input.email ?? "",
    passwordLength,
    errors: input.errors ?? {},
    hasErrors: Boolean(input.errors && Object.keys(input.errors).length),
  });
}

export async function submitLogin(ctx: Context, provider: Provider, details: InteractionDetails, accounts: AccountService, form: Form) {
  const email = field(form, "email");
  try {
    const account = await accounts.authenticate(email, field(form, "password"));
    await finishInteraction(provider, ctx, { login: { accountId: account.id } });
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    ctx.status = error.status;
    await showLogin(ctx, provider, details, { email, errors: error.fields });
  }
}

export async function submitRegister(ctx: Context, provider: Provider, details: InteractionDetails, accounts: AccountService, form: Form) {
  const input = { name: field(form, "name"), email: field(form, "email"), password: field(form, "password") };
  try {
    const account = await accounts.register(input);
    await finishInteraction(provider, ctx, { login: { accountId: account.id } });
  } catch (error) {
    if (!(error instanceof FormError)) throw error;
    ctx.status = error.status;
    await showRegister(ctx, provider, details, { name: input.name, email: input.email, errors: error.fields });
  }
}
