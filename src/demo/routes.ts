/**
 * The demo client's landing and callback pages: where a newcomer starts the code flow and
 * sees the code come back, with the exact httpie commands to redeem it.
 */
import { renderPage, type Edge } from "../http/edge/index.js";
import { demoCallbackPath, demoClientId } from "./seed.js";

export const demoPaths = { home: "/", callback: demoCallbackPath } as const;

export function mountDemoRoutes(edge: Edge, deps: { issuer: string; secret: string }): void {
  const router = edge.pages("demo", demoPaths);
  const redirectUri = `${deps.issuer}${demoCallbackPath}`;
  const authorizeUrl = `${deps.issuer}/auth?${new URLSearchParams({
    client_id: demoClientId,
    response_type: "code",
    scope: "openid profile email",
    redirect_uri: redirectUri,
    state: "demo",
  })}`;
  const port = new URL(deps.issuer).port;
  const host = port ? `:${port}` : deps.issuer;

  router.get(demoPaths.home, async (ctx) => {
    await renderPage(ctx, "demo/home", { title: "Tessera", authorizeUrl, issuer: deps.issuer });
  });

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
