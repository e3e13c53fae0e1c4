/**
 * The account page and the account rows behind it, as the account tests read them: open
 * the page, its "Email addresses" list, and what a refused action must leave unchanged.
 */
import type { BrowserSession, Hop } from "./browser-session.js";
import { decodeEntities } from "./page-text.js";
import type { TestTessera } from "./tessera.js";

/** GET /account following redirects; fails unless it ends on the account page. */
export async function openAccount(session: BrowserSession): Promise<Hop> {
  const hop = await session.follow("/account");
  if (hop.status !== 200 || new URL(hop.url).pathname !== "/account" || !hop.body.includes("<h1>Your account</h1>")) {
    throw new Error(`expected the account page, got ${hop.status} at ${hop.url}:\n${hop.body.slice(0, 1500)}`);
  }
  return hop;
}

export interface EmailRow {
  id: string;
  address: string;
  badges: string[];
  /** The actions offered as buttons (primary, remove, resend). */
  actions: string[];
}

/** The rows of the "Email addresses" list on the account page. */
export function emailRows(html: string): EmailRow[] {
  const list = /<ul class="emails">([\s\S]*?)<\/ul>/.exec(html);
  if (!list) throw new Error(`no email list on the page:\n${html.slice(0, 1500)}`);
  return [...list[1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map(([, item]) => {
    const address = decodeEntities(/<span class="address">([^<]*)<\/span>/.exec(item!)?.[1] ?? "");
    const badges = [...item!.matchAll(/<span class="badge[^"]*">([^<]*)<\/span>/g)].map((m) => decodeEntities(m[1]!.trim()));
    const forms = [...item!.matchAll(/action="\/account\/emails\/([^/"]+)\/(\w+)"/g)];
    return { id: forms[0]?.[1] ?? "", address, badges, actions: forms.map((m) => m[2]!) };
  });
}

export function rowFor(html: string, address: string): EmailRow | undefined {
  return emailRows(html).find((row) => row.address.toLowerCase() === address.toLowerCase());
}

/** Everything about an account's addresses that a refused action must leave as it was. */
export async function emailState(tessera: TestTessera, userId: string) {
  const rows = await tessera.db.prisma.email.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  return rows.map(({ id, address, normalized, owned, primary, verifiedAt }) => ({ id, address, normalized, owned, primary, verifiedAt }));
}

/** The id of the account that owns `address`. */
export async function accountIdOf(tessera: TestTessera, address: string): Promise<string> {
  const row = await tessera.db.prisma.email.findUnique({ where: { owned: address.toLowerCase() } });
  if (!row) throw new Error(`no account owns ${address}`);
  return row.userId;
}

let extra = 0;
/** An address nobody has used yet in this run. */
export function newAddress(label = "extra"): string {
  extra += 1;
  return `${label}.${Date.now()}.${extra}@example.test`;
}
