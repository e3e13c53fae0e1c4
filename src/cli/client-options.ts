/**
 * The options `client create` and `client update` share, and the metadata property each
 * one sets — so a property the provider refuses is reported as the option that set it.
 */
import { Option, type Command } from "commander";
import type { ClientInput } from "./client-service.js";
import { collect, slug, text, wholeHours } from "./options.js";
import type { OutputOptions } from "./output.js";

export type ClientOptions = ClientInput &
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
  cooloff_hours: "--cooloff-hours",
};

export function clientOptions(command: Command, { create }: { create: boolean }): Command {
  if (!create) command.option("--name <name>", "name shown to users", text);
  command
    .option("--redirect-uri <uri>", "allowed redirect_uri (repeat for several)", collect)
    .option("--response-type <type>", `response type, e.g. code or "code id_token" (repeat for several; new clients: code)`, collect)
    .option("--grant-type <grant>", "grant besides those the response types imply, e.g. refresh_token, client_credentials (repeat for several)", collect)
    .addOption(new Option("--auth-method <method>", "token endpoint authentication").choices(["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]))
    .option("--jwks-uri <uri>", "where the client publishes its keys, for private_key_jwt (\"\" removes it)")
    .option("--org <slug>", "organisation the client belongs to (default: default)", slug)
    .option("--cooloff-hours <hours>", "accounts younger than this many hours cannot sign in (0: no wait)", wholeHours)
    .option("--first-party", "skip the consent screen (Tessera's own sites)")
    .option("--require-verified-email", "sign-in waits until the account's email is confirmed")
    .option("--post-logout-redirect-uri <uri>", "allowed post_logout_redirect_uri (repeat for several)", collect)
    .option("--initiate-login-uri <uri>", "third-party initiated login URI (\"\" removes it)");
  if (!create) {
    command.option("--no-first-party", "show the consent screen").option("--no-require-verified-email", "do not wait for a confirmed email");
  }
  return command;
}

export function clientInput(options: ClientOptions): ClientInput {
  return {
    name: options.name,
    redirectUris: options.redirectUri,
    responseTypes: options.responseType,
    grantTypes: options.grantType,
    authMethod: options.authMethod,
    org: options.org,
    cooloffHours: options.cooloffHours,
    firstParty: options.firstParty,
    requireVerifiedEmail: options.requireVerifiedEmail,
    postLogoutRedirectUris: options.postLogoutRedirectUri,
    initiateLoginUri: options.initiateLoginUri,
    jwksUri: options.jwksUri,
  };
}
