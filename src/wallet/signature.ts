/**
 * Does the signature over the message come from the address? An ordinary wallet (a private
 * key) is checked offline by recovering the signer (EIP-191 personal_sign). A smart-contract
 * wallet (EIP-1271, and EIP-6492 for one not yet deployed) can only be asked on chain, so it
 * is checked only when the operator configured an RPC endpoint; without one it is refused.
 */
import { createPublicClient, http, isHex, verifyMessage } from "viem";

export type SignatureCheck = (input: { address: `0x${string}`; message: string; signature: string }) => Promise<boolean>;

export function signatureCheck(rpcUrl: string | undefined): SignatureCheck {
  const chain = rpcUrl ? createPublicClient({ transport: http(rpcUrl) }) : undefined;
  return async ({ address, message, signature }) => {
    if (!isHex(signature) || signature.length > 4096) return false;
    const signer = await verifyMessage({ address, message, signature }).catch(() => false);
    if (signer || !chain) return signer;
    return chain.verifyMessage({ address, message, signature });
  };
}
