/**
 * A relying party served over https, for flows that pass through a client's
 * `initiate_login_uri`: node-oidc-provider 9 accepts only an https URI there (no loopback
 * exception, unlike redirect URIs), and we would rather meet that rule than loosen it for
 * tests. So this site runs on https://127.0.0.1 with a certificate made for the test run
 * (openssl, one day, EC P-256). Nothing is told to trust certificates in general: Chromium is
 * given this certificate's public-key hash (`--ignore-certificate-errors-spki-list`), so it
 * accepts exactly this one; the site's own calls to Tessera are plain http, as in the other
 * tests.
 *
 * The site does what a client using sign-in links does, with openid-client:
 * - GET /login (its initiate_login_uri, OIDC Core §4): checks `iss` is Tessera and that
 *   `target_link_uri` is one of its own pages, then starts a code flow with PKCE, passing
 *   `login_hint` on;
 * - GET /cb: redeems the code, keeps the person's claims in its own session cookie, and sends
 *   the browser on to the target;
 * - GET /billing/…: a page saying who is signed in (or that nobody is).
 */
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, randomBytes } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import * as oidc from "openid-client";
import type { ClientMetadata } from "./clients.js";
import { freePort } from "./ports.js";
import { checks } from "./relying-party.js";
import type { TestTessera } from "./tessera.js";

export interface HttpsRelyingParty {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** The Chromium flag that trusts this site's certificate, and only it. */
  chromiumArg: string;
  /** Points the site at its client, once Tessera knows the client (the client needs the site's URLs first). */
  use(client: ClientMetadata): Promise<void>;
  close(): Promise<void>;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-rp-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><link rel="icon" href="data:,"></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

export async function startHttpsRelyingParty(tessera: TestTessera): Promise<HttpsRelyingParty> {
  const { key, cert } = selfSignedCertificate();
  const spki = createHash("sha256").update(createPublicKey(cert).export({ type: "spki", format: "der" })).digest("base64");
  const port = await freePort();
  const origin = `https://127.0.0.1:${port}`;
  let config: oidc.Configuration | undefined;
  const pending = new Map<string, { verifier: string; nonce: string; target: string }>();
  const sessions = new Map<string, { email: string; name: string }>();

  const server = https.createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
      res.end(html);
    };
    const handle = async () => {
      if (!config) return send(503, page("Not ready", ""));
      if (url.pathname === "/login") {
        const target = url.searchParams.get("target_link_uri") ?? "";
        // OIDC Core §4: the RP checks the issuer, and that the target is its own page (no open redirect).
        if (url.searchParams.get("iss") !== tessera.issuer || !target.startsWith(`${origin}/billing/`)) return send(400, page("Refused", "<p>Unknown issuer or target.</p>"));
        const c = await checks();
        pending.set(c.state, { verifier: c.pkceCodeVerifier, nonce: c.nonce, target });
        const login = url.searchParams.get("login_hint");
        const authorize = oidc.buildAuthorizationUrl(config, {
          redirect_uri: `${origin}/cb`, scope: "openid email profile", code_challenge: c.codeChallenge, code_challenge_method: "S256", state: c.state, nonce: c.nonce,
          ...(login && { login_hint: login }),
        });
        return send(302, "", { location: authorize.href });
      }
      if (url.pathname === "/cb") {
        const state = url.searchParams.get("state") ?? "";
        const flow = pending.get(state);
        if (!flow) return send(400, page("Refused", "<p>Unknown state.</p>"));
        pending.delete(state);
        const tokens = await oidc.authorizationCodeGrant(config, url, { pkceCodeVerifier: flow.verifier, expectedState: state, expectedNonce: flow.nonce });
        const claims = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
        const id = randomBytes(16).toString("hex");
        sessions.set(id, { email: String(claims.email), name: String(claims.name) });
        return send(302, "", { location: flow.target, "set-cookie": `rp_session=${id}; Path=/; HttpOnly; Secure; SameSite=Lax` });
      }
      if (url.pathname.startsWith("/billing/")) {
        const id = /(?:^|;\s*)rp_session=([0-9a-f]+)/.exec(req.headers.cookie ?? "")?.[1];
        const who = id ? sessions.get(id) : undefined;
        return send(200, page("Billing", who ? `<p id="who">Signed in as ${escape(who.name)} (${escape(who.email)})</p><p>Page ${escape(url.pathname)}</p>` : `<p id="who">Not signed in</p>`));
      }
      return send(404, page("Not found", ""));
    };
    handle().catch((error: unknown) => send(500, page("Relying party error", `<pre>${escape(String(error))}</pre>`)));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin,
    chromiumArg: `--ignore-certificate-errors-spki-list=${spki}`,
    async use(client) {
      config = await oidc.discovery(new URL(tessera.issuer), client.client_id, { client_secret: client.client_secret }, oidc.ClientSecretBasic(client.client_secret), {
        execute: [oidc.allowInsecureRequests],
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
