/**
 * The wallets panel of /account: the linked wallets, linking one (proved by a signature
 * over a challenge bound to the signed-in account, through a small JSON API the page's
 * wallet.js calls) and unlinking one while another way to sign in remains. The JSON API
 * takes the pages' same-origin rule: it acts with the visitor's session cookie.
 */
import type { AccountPanel, SignedInSession } from "../../accounts/index.js";
import { ApiError, jsonBody, pathTo, sameOriginForms, type ApiContext, type Edge } from "../../http/edge/index.js";
import { AppError } from "../../shared/index.js";
import { WalletError } from "../errors.js";
import { bindings, type WalletService } from "../service.js";

export const walletAccountPaths = {
  challenge: "/account/wallets/challenge",
  link: "/account/wallets",
  unlink: "/account/wallets/:address/unlink",
} as const;

export function walletAccountPanel(edge: Edge, deps: { wallet: WalletService; session: SignedInSession }): AccountPanel {
  const { wallet, session } = deps;
  const api = edge.api();
  api.use(sameOriginForms(edge.issuer));

  /** The signed-in account, or 401: the page's script sends the visitor to sign in again. */
  async function signedIn(ctx: ApiContext): Promise<string> {
    const accountId = await session.accountId(ctx);
    if (!accountId) throw new ApiError("login_required", "Your session has ended. Sign in again, then link the wallet.", 401);
    return accountId;
  }

  const answer = (work: (ctx: ApiContext, accountId: string) => Promise<void>) => async (ctx: ApiContext) => {
    const accountId = await signedIn(ctx);
    try {
      await work(ctx, accountId);
    } catch (error) {
      if (error instanceof WalletError) throw new ApiError(error.refusal, error.message, error.status);
      throw error;
    }
  };

  api.post(
    walletAccountPaths.challenge,
    answer(async (ctx, accountId) => {
      const body = jsonBody(ctx);
      const challenge = await wallet.challenge(bindings.account(accountId), { address: body.address, chainId: body.chainId });
      ctx.body = { message: challenge.message, nonce: challenge.nonce, expires_at: challenge.expiresAt.toISOString() };
    }),
  );

  api.post(
    walletAccountPaths.link,
    answer(async (ctx, accountId) => {
      const body = jsonBody(ctx);
      const { address } = await wallet.link(accountId, { message: body.message, signature: body.signature });
      ctx.state.log.info({ accountId }, "wallet linked");
      ctx.body = { address, redirect_url: "/account" };
    }),
  );

  return {
    view: "wallet/account-panel",
    async locals(accountId) {
      const wallets = await wallet.list(accountId);
      return {
        wallets: wallets.map((linked) => ({ address: linked.address, unlink: pathTo(walletAccountPaths.unlink, { address: linked.address }) })),
        walletPaths: walletAccountPaths,
        smartContractWallets: wallet.smartContractWallets,
        chainIds: wallet.settings.chainIds,
      };
    },
    mount(router, page) {
      router.post(walletAccountPaths.unlink, async (ctx) => {
        let notice: string;
        try {
          const { address } = await wallet.unlink(ctx.state.accountId, ctx.params.address!);
          ctx.state.log.info({ accountId: ctx.state.accountId }, "wallet unlinked");
          notice = `The wallet ${address} no longer signs in to your account.`;
        } catch (error) {
          if (!(error instanceof AppError) || !error.expose) throw error;
          ctx.status = error.status;
          notice = error.message;
        }
        await page(ctx, ctx.state.accountId, { notice });
      });
    },
  };
}
