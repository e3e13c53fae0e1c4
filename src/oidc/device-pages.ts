/**
 * The device authorization grant's pages (RFC 8628 §3.3) in Tessera's layout: enter the
 * code shown on the device, confirm it, done. The provider hands its forms over as HTML;
 * the input page rebuilds its form accessibly (a labelled field) from the action and the
 * anti-forgery token in it.
 */
import type { KoaContextWithOIDC } from "oidc-provider";
import { renderPage as render } from "../http/edge/index.js";

const attribute = (html: string, pattern: RegExp) => pattern.exec(html)?.[1] ?? "";

export async function userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out: unknown, error?: Error & { userCode?: string }) {
  const problem = !error
    ? undefined
    : error.userCode || error.name === "NoCodeError"
      ? "That code is not right, or it has expired. Check the code on your device and enter it again."
      : error.name === "AbortedError"
        ? "The sign-in on the device was cancelled. Start again on the device."
        : "Something went wrong with this code. Start again on the device.";
  if (error) ctx.status = 400;
  await render(ctx, "device/input", {
    title: "Connect a device",
    action: attribute(form, /action="([^"]+)"/),
    xsrf: attribute(form, /name="xsrf" value="([^"]+)"/),
    errors: problem ? { user_code: problem } : {},
  });
}

export async function userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, client: { clientName?: string; clientId: string }, _deviceInfo: unknown, userCode: string) {
  await render(ctx, "device/confirm", { title: "Confirm the device", form, clientName: client.clientName ?? client.clientId, userCode });
}

export async function successSource(ctx: KoaContextWithOIDC) {
  const client = ctx.oidc.client;
  await render(ctx, "device/success", { title: "Device connected", clientName: client?.clientName ?? client?.clientId });
}
