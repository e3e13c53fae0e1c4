/**
 * An EIP-1193 wallet injected into a Chromium page (window.ethereum), backed by a key the
 * test holds: the page's requests come back to the test through an exposed function, which
 * answers eth_requestAccounts, eth_chainId and personal_sign as a wallet extension does.
 */
import type { BrowserContext } from "playwright-core";
import type { PrivateKeyAccount } from "viem/accounts";

export async function injectWallet(context: BrowserContext, account: PrivateKeyAccount, chainId = 1): Promise<{ requests: string[] }> {
  const requests: string[] = [];
  await context.exposeFunction("__testWalletRequest", async (method: string, params: unknown[]) => {
    requests.push(method);
    if (method === "eth_requestAccounts" || method === "eth_accounts") return [account.address];
    if (method === "eth_chainId") return `0x${chainId.toString(16)}`;
    if (method === "personal_sign") {
      const [message, address] = params as [`0x${string}`, string];
      if (address.toLowerCase() !== account.address.toLowerCase()) throw new Error("unknown account");
      return account.signMessage({ message: { raw: message } });
    }
    throw new Error(`unsupported method ${method}`);
  });
  await context.addInitScript(`
    window.ethereum = {
      isTestWallet: true,
      request: ({ method, params }) => window.__testWalletRequest(method, params || []),
    };
  `);
  return { requests };
}
