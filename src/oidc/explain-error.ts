/**
 * What a person (not a developer) should read when the provider cannot send them back to
 * the application. The protocol error stays visible below it for whoever debugs.
 */
const explanations: Record<string, string> = {
  invalid_redirect_uri:
    "The application asked Tessera to send you back to an address it has not registered, so Tessera stopped here to keep your data safe. Go back to the application and let its developers know.",
  invalid_client:
    "Tessera does not know the application that sent you here. Check the link, or go back to the application and let its developers know.",
  unsupported_response_type:
    "The application asked for a kind of response that Tessera does not give. Its developers can use response_type=code (with PKCE) instead.",
  invalid_request:
    "The application's sign-in request was incomplete or malformed. Go back to the application and try again; if it keeps happening, let its developers know.",
  access_denied: "Sign-in was cancelled. Nothing was shared with the application.",
  login_required: "You need to sign in again. Go back to the application and start over.",
  not_found: "There is no page at this address. Check the link, or start again from the application you came from.",
  session_not_found: "This sign-in page has expired or was opened in another browser. Go back to the application and start again.",
};

export function explainOidcError(error: string, description?: string): string {
  if (description?.startsWith("unrecognized route")) return explanations.not_found!;
  if (error === "invalid_request" && description?.includes("redirect_uri")) return explanations.invalid_redirect_uri!;
  return explanations[error] ?? "Something about this sign-in request is not right. Go back to the application and try again.";
}
