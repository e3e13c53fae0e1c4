/**
 * Login method: an Ethereum wallet signs a Sign-In with Ethereum message (EIP-4361). The
 * login page's panel and the sign-up page run public/assets/wallet.js, which asks the
 * browser's wallet (EIP-1193) to sign and talks to the JSON API below; a script-driven
 * front end may call the same API. Every success ends with the shared login, so the rest
 * of the sign-in (verified email, cooloff, terms, consent) applies as for passwords.
 *
 * The JSON API runs on the API edge but is called with the browser's interaction cookie,
 * so it takes the pages' same-origin rule (Sec-Fetch-Site / Origin): another site cannot
 * drive it with a visitor's cookie. Its answer on success is `{ redirect_url }`, always the
 * provider's resume URL for this interaction — never a URL from the request.
 *
 * Throttled (src/security/throttle): challenges per IP (every attempt needs a fresh one), and
 * a sign-up that gives an email as a mail-sending request (per IP and per address); a
 * refusal is 429 with Retry-After — `too_many_requests` on the API, the message next to the
 * field on the page.
 */
import { formSubmission, jsonBody, sameOriginForms, type RefusedForm } from "../../http/edge/index.js";
import { FormError } from "../../shared/index.js";
import type { MailThrottle, WalletThrottle } from "../../security/index.js";
import { bindings, WalletError, type WalletService } from "../../wallet/index.js";
import type { InteractionContext, InteractionDetails } from "../interaction.js";
import type { LoginMethod } from "../login-method.js";
import { walletLoginPaths as paths } from "./paths.js";
import { textField, walletApi } from "./wallet-api.js";

const name = "walletLogin";

export function walletLogin(deps: { wallet: WalletService; walletThrottle: WalletThrottle; mailThrottle: MailThrottle }): LoginMethod {
  const { wallet } = deps;
  /** A sign-up giving an email sends a confirmation link: counted like every mail-sending request. */
  const countSignUpMail = async (email: string, ip: string) => {
    if (email.trim()) await deps.mailThrottle.request({ kind: "sign-up", address: email, ip });
  };
  const { signUp, chainIds } = wallet.settings;
  const about = { signUp: signUp.enabled, fields: signUp.fields, chainIds, smartContractWallets: wallet.smartContractWallets };

  return {
    name,
    paths,
    async panel() {
      return { view: "interactions/wallet/panel", locals: about };
    },
    mount(router, kit) {
      const showSignUp = (ctx: InteractionContext, details: InteractionDetails, refused?: RefusedForm) =>
        kit.render(ctx, details, "interactions/wallet/sign-up", {
          title: "Create your account with a wallet",
          ...about,
          name: refused?.form.get("name") ?? "",
          email: refused?.form.get("email") ?? "",
          errors: refused?.errors,
        });

      router.get(paths.signUp, async (ctx) => {
        if (!signUp.enabled) ctx.status = 403;
        await showSignUp(ctx, await kit.interaction(ctx));
      });

      // The page's form, posted by wallet.js once the wallet has signed: refusals are shown next to their fields.
      router.post(
        paths.signUp,
        formSubmission<InteractionContext>({
          async submit(ctx, form) {
            const details = await kit.interaction(ctx);
            if (!form.get("message")) throw new FormError({ wallet: "Creating an account with a wallet needs a wallet in this browser, and JavaScript on." });
            await countSignUpMail(form.get("email"), ctx.ip);
            try {
              const { accountId } = await wallet.signUp(
                bindings.interaction(details.uid),
                // Browsers send a form's line breaks as CRLF (HTML's form submission); the wallet signed LF.
                { message: form.get("message").replace(/\r\n/g, "\n"), signature: form.get("signature") },
                { name: form.get("name"), email: form.get("email") },
              );
              ctx.state.log.info({ accountId }, "wallet sign-up");
              await kit.finishLogin(ctx, accountId);
            } catch (error) {
              if (error instanceof WalletError) throw new FormError({ wallet: error.message }, error.status, error.code);
              throw error;
            }
          },
          showAgain: async (ctx, refused) => showSignUp(ctx, await kit.interaction(ctx), refused),
        }),
      );
    },
    mountApi(router, kit) {
      router.use(sameOriginForms(new URL(kit.provider.issuer).origin));

      router.post(
        paths.challenge,
        walletApi(async (ctx) => {
          const details = await kit.interaction(ctx);
          await deps.walletThrottle.challenge(ctx.ip);
          const body = jsonBody(ctx);
          const challenge = await wallet.challenge(bindings.interaction(details.uid), { address: body.address, chainId: body.chainId });
          ctx.body = { message: challenge.message, nonce: challenge.nonce, expires_at: challenge.expiresAt.toISOString() };
        }),
      );

      router.post(
        paths.signIn,
        walletApi(async (ctx) => {
          const details = await kit.interaction(ctx);
          const body = jsonBody(ctx);
          const { accountId } = await wallet.signIn(bindings.interaction(details.uid), { message: body.message, signature: body.signature });
          ctx.state.log.info({ accountId }, "wallet sign-in");
          ctx.body = { redirect_url: await kit.loginResult(ctx, accountId) };
        }),
      );

      router.post(
        paths.signUpApi,
        walletApi(async (ctx) => {
          const details = await kit.interaction(ctx);
          const body = jsonBody(ctx);
          await countSignUpMail(textField(body, "email"), ctx.ip);
          const { accountId } = await wallet.signUp(
            bindings.interaction(details.uid),
            { message: body.message, signature: body.signature },
            { name: textField(body, "name"), email: textField(body, "email") },
          );
          ctx.state.log.info({ accountId }, "wallet sign-up");
          ctx.body = { redirect_url: await kit.loginResult(ctx, accountId) };
        }),
      );
    },
  };
}
