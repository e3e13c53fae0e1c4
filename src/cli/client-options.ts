/**
 * The options `client create` and `client update` share, and the metadata property each
 * one sets — so a property the provider refuses is reported as the option that set it.
 * Tessera's own settings come from their descriptors (client-setting-options.ts); --org is
 * here because it names an organisation by slug, which the service resolves.
 */
import { Option, type Command } from "commander";
import type { ClientInput } from "./client-service.js";
import { addClientSettingOptions, clientSettingInput, settingOptionFor } from "./client-setting-options.js";
import { collect, slug, text } from "./options.js";
import type { OutputOptions } from "./output.js";

export type ClientOptions = Omit<ClientInput, "settings"> &
  OutputOptions & { id?: string; redirectUri?: string[]; responseType?: string[]; grantType?: string[]; postLogoutRedirectUri?: string[] };

/** Which option sets each metadata property, to name it when the provider refuses one. */
export const optionFor: Record<string, string> = {
  client_name: "--name",
  redirect_uris: "--redirect-uri",
  response_types: "--response-type",
  grant_types: "--grant-type",
  token_endpoint_auth_method: "--auth-method",
  post_logout_redirect_uris: "--post-logout-redirect-uri",
  initiate_login_uri: "--initiate-login-uri",
  jwks_uri: "--jwks-uri",
  jwks: "--jwks-uri",
  logo_uri: "--logo-uri",
  organisation_id: "--org",
  ...settingOptionFor,
};

export function clientOptions(command: Command, { create }: { create: boolean }): Command {
  if (!create) command.option("--name <name>", "name shown to users", text);
  command
    .option("--redirect-uri <uri>", "allowed redirect_uri (repeat for several)", collect)
    .option("--response-type <type>", `response type, e.g. code or "code id_token" (repeat for several; new clients: code)`, collect)
    .option("--grant-type <grant>", "grant besides those the response types imply, e.g. refresh_token, client_credentials (repeat for several)", collect)
    .addOption(new Option("--auth-method <method>", "token endpoint authentication").choices(["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]))
    .option("--jwks-uri <uri>", "where the client publishes its keys, for private_key_jwt (\"\" removes it)")
    .option("--post-logout-redirect-uri <uri>", "allowed post_logout_redirect_uri (repeat for several)", collect)
    .option("--initiate-login-uri <uri>", "third-party initiated login URI (\"\" removes it)")
    .option("--logo-uri <uri>", "the client's logo, shown on its consent page (\"\" removes it)")
    .option("--org <slug>", "organisation the client belongs to (default: default)", slug);
  return addClientSettingOptions(command, { create });
}

export function clientInput(options: ClientOptions): ClientInput {
  return {
    name: options.name,
    redirectUris: options.redirectUri,
    responseTypes: options.responseType,
    grantTypes: options.grantType,
    authMethod: options.authMethod,
    org: options.org,
    settings: clientSettingInput(options),
    postLogoutRedirectUris: options.postLogoutRedirectUri,
    initiateLoginUri: options.initiateLoginUri,
    jwksUri: options.jwksUri,
    logoUri: options.logoUri,
  };
}
