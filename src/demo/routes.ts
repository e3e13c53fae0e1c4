/**
 * The demo client's callback page, where a newcomer sees the code come back with the exact
 * httpie commands to redeem it; the home page links to `demoAuthorizeUrl` to start.
 */
import { renderPage, type Edge } from "../http/edge/index.js";
import { demoCallbackPath, demoClientId } from "./seed.js";

export const demoPaths = { callback: demoCallbackPath } as const;

/** The demo client's code-flow request: where "Sign in to the demo client" goes. */
export function demoAuthorizeUrl(issuer: string): string {
  return `${issuer}/auth?${new URLSearchParams({
    client_id: demoClientId,
    response_type: "code",
    scope: "openid profile email",
    redirect_uri: `${issuer}${demoCallbackPath}`,
    state: "demo",
  })}`;
}

export function mountDemoRoutes(edge: Edge, deps: { issuer: string; secret: string }): void {
  const router = edge.pages("demo", demoPaths);
  const redirectUri = `${deps.issuer}${demoCallbackPath}`;
  const authorizeUrl = demoAuthorizeUrl(deps.issuer);
  const port = new URL(deps.issuer).port;
  const host = port ? `:${port}` : deps.issuer;

  router.get(demoPaths.callback, async (ctx) => {
    const query = (name: string) => (typeof ctx.query[name] === "string" ? (ctx.query[name] as string) : undefined);
    const code = query("code");
    await renderPage(ctx, "demo/callback", {
      title: "Demo client",
      wide: true,
      code,
      error: query("error"),
      errorDescription: query("error_description"),
      authorizeUrl,
      tokenCommand: code
        ? `http -f -a ${demoClientId}:${deps.secret} POST ${host}/token grant_type=authorization_code code=${code} redirect_uri=${redirectUri}`
        : undefined,
      userinfoCommand: `http ${host}/me 'Authorization:Bearer ACCESS_TOKEN'`,
    });
  });
}
