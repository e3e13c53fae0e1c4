/**
 * Tessera's settings: the only module that reads the environment. Every setting is parsed
 * and checked once at start; a missing or malformed one stops start-up with a message that
 * names it. Each option's comment gives its default and why.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

/**
 * A throttling limit written "COUNT/WINDOW", the window in seconds, minutes or hours:
 * "10/15m" is ten in any fifteen-minute window. Kept as text in the schema (so the settings
 * reference shows it as written) and read by `rateLimit` below.
 */
const rate = z.string().regex(/^[1-9]\d*\/[1-9]\d*[smh]$/, "must be COUNT/WINDOW, like 10/15m (window in s, m or h)");

function rateLimit(value: string): RateLimit {
  const [count = "", window = ""] = value.split("/");
  const unit = { s: 1, m: 60, h: 3600 }[window.slice(-1) as "s" | "m" | "h"];
  return { limit: Number(count), windowSeconds: Number(window.slice(0, -1)) * unit };
}

const schema = z
  .object({
    /**
     * development, test or production. Production requires ISSUER (https) and SMTP_URL and
     * turns the demo client off unless DEMO_CLIENT says otherwise.
     */
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** TCP port; 0 picks a free one (tests). */
    PORT: z.coerce.number({ message: "must be a port number" }).int().min(0, "must be a port number").max(65535, "must be a port number").default(3000),
    /** Interface to bind; all interfaces by default so containers answer. */
    HOST: z.string().min(1).default("0.0.0.0"),
    /**
     * The issuer identifier (OIDC Core §2): the public https URL relying parties see.
     * Defaults to http://localhost:PORT, which only makes sense on a developer's machine.
     */
    ISSUER: z.url({ message: "must be an absolute URL such as https://id.example.com" }).optional(),
    /**
     * PostgreSQL connection string. Unset: the embedded PGlite database under DATA_DIR,
     * so a fresh checkout runs with no database server.
     */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    /** Where the embedded database and the development outbox live. */
    DATA_DIR: z.string().min(1).default("data"),
    /** Where signing keys, cookie secrets and the client-secret encryption key are generated on first start (never committed). */
    KEYS_DIR: z.string().min(1).default("keys"),
    /** How much to log: fatal, error, warn, info, debug (adds passing /healthz probes), trace or silent. */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** json (one object a line, for log shippers) or pretty (for people). Unset: pretty in development, json elsewhere. */
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    /**
     * Trust X-Forwarded-Proto/-For/-Host from a reverse proxy: needed behind TLS termination so
     * Tessera knows requests arrived over https. Only set it when every request passes through
     * a proxy you run, which overwrites these headers; otherwise clients could forge them.
     */
    TRUST_PROXY: flag.default(false),
    /** Seed the `demo` client whose redirect URI is Tessera's own /demo/callback page. Unset: on, except in production. */
    DEMO_CLIENT: flag.optional(),
    /** The demo client's secret; a known value so the README's httpie commands work verbatim. */
    DEMO_CLIENT_SECRET: z.string().min(8, "must be at least 8 characters").default("demo-secret"),
    /**
     * Mail server, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for implicit TLS).
     * Unset outside production: mail is written to the outbox under DATA_DIR, listed at
     * /dev/outbox, and its links are logged. Required in production.
     */
    SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
    /** The From header of every mail. */
    MAIL_FROM: z.string().min(3).default("Tessera <no-reply@localhost>"),
    /** First retry delay after a failed send; it doubles with every attempt. */
    MAIL_RETRY_BASE_SECONDS: z.coerce.number({ message: "must be a number of seconds" }).positive().default(30),
    /** Attempts before a mail is given up on; it is kept as a dead job (`tessera jobs list --state dead`, `jobs retry ID`). */
    MAIL_MAX_ATTEMPTS: z.coerce.number({ message: "must be a whole number" }).int().min(1).default(12),
    /**
     * How often the job runner looks for work without being told. New jobs wake it at once
     * (LISTEN/NOTIFY) and it sets a timer for retries and schedule ticks, so this poll only
     * covers a notification lost while the database connection was down.
     */
    JOBS_POLL_SECONDS: z.coerce.number({ message: "must be a number of seconds" }).positive().default(30),
    /**
     * The shortest password a person may choose (ASVS 5.0 6.2.1 and NIST SP 800-63B: at
     * least 8). Raise it if your policy asks for more; up to 64, since passwords of 64 and
     * more characters must stay possible and the longest accepted is 256.
     */
    PASSWORD_MIN_LENGTH: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(8, "must be at least 8").max(64, "must be at most 64").default(8),
    /**
     * argon2id memory per password hash, in KiB. The default, 19456 (19 MiB) with
     * ARGON2_TIME_COST 2 and ARGON2_PARALLELISM 1, is OWASP's recommended floor. Hashes made
     * with other values keep working and are upgraded at the owner's next sign-in.
     */
    ARGON2_MEMORY_KIB: z.coerce.number({ message: "must be a whole number of KiB" }).int("must be a whole number of KiB").min(7168, "must be at least 7168 (7 MiB, OWASP's floor)").max(4194304, "must be at most 4194304 (4 GiB)").default(19456),
    /** argon2id passes over the memory per hash (see ARGON2_MEMORY_KIB). */
    ARGON2_TIME_COST: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20").default(2),
    /** argon2id lanes per hash (see ARGON2_MEMORY_KIB). */
    ARGON2_PARALLELISM: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(16, "must be at most 16").default(1),
    /** Offer sign-in with an Ethereum wallet (Sign-In with Ethereum, EIP-4361) on the sign-in page and its JSON API. */
    WALLET_LOGIN: flag.default(true),
    /**
     * Chain ids a wallet may sign in from, comma-separated (EIP-155: 1 is Ethereum mainnet).
     * The account is the same on every chain; this only limits which networks are accepted.
     */
    WALLET_CHAIN_IDS: z
      .string()
      .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, "must be chain ids separated by commas, e.g. 1,10,8453")
      .default("1"),
    /** Minutes a wallet challenge (the message to sign) stays valid; it can be used once. */
    WALLET_CHALLENGE_MINUTES: z.coerce.number({ message: "must be a whole number of minutes" }).int().min(1).max(60).default(5),
    /** Let people create an account by signing with a wallet. Off: the page says sign-up is closed. */
    WALLET_SIGN_UP: flag.default(true),
    /**
     * What wallet sign-up asks for besides the signature: `name` and `email`, each
     * `:required` or `:optional`, comma-separated; leave one out to not ask. An email given
     * stays unverified until its confirmation link is used.
     */
    WALLET_SIGN_UP_FIELDS: z
      .string()
      .regex(/^\s*(name|email):(required|optional)\s*(,\s*(name|email):(required|optional)\s*)*$/, "must list name and/or email, each :required or :optional, e.g. name:required,email:optional")
      .default("name:required,email:optional"),
    /**
     * An Ethereum JSON-RPC URL for the allowed chain, to verify smart-contract wallets
     * (EIP-1271). Unset: only ordinary wallets (a private key's signature) can sign in.
     */
    WALLET_RPC_URL: z.url({ message: "must be an http(s) URL" }).optional(),
    /** The product name in every page's header and title and in every mail. */
    BRAND_NAME: z.string().trim().min(1).max(60, "must be at most 60 characters").default("Tessera"),
    /**
     * The logo in every page's header and every mail: an https URL, or the path of an SVG,
     * PNG, JPEG or WebP file that Tessera serves itself at /brand/logo. Unset: Tessera's mark.
     */
    BRAND_LOGO: z.string().trim().min(1).optional(),
    /**
     * The main colour (buttons, links) as a hex colour such as #7a1f5c. Where it is too light
     * (or, in dark mode, too dark) for readable text, pages use a darker (lighter) shade of
     * it, so contrast stays at WCAG AA's 4.5:1. Unset: Tessera's green.
     */
    BRAND_PRIMARY_COLOR: z
      .string()
      .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "must be a hex colour such as #7a1f5c")
      .optional(),
    /** Where people get help (https or mailto: URL), linked at the foot of every page and mail. Unset: no link. */
    BRAND_SUPPORT_URL: z.string().trim().optional(),
    /**
     * Failed password sign-ins per (address, IP) from a browser that has not signed in with
     * that address before. Counts are kept in the database, shared by every process.
     */
    THROTTLE_SIGN_IN_PER_ACCOUNT_AND_IP: rate.default("10/15m"),
    /**
     * Failed password sign-ins per address from every browser that has not signed in with it
     * before: slows guessing spread over many IPs without locking out the owner's own browser.
     */
    THROTTLE_SIGN_IN_PER_ACCOUNT: rate.default("50/1h"),
    /** Failed password sign-ins per IP (IPv6: per /64) over every address, from browsers not known to the address. */
    THROTTLE_SIGN_IN_PER_IP: rate.default("100/1h"),
    /** Failed password sign-ins from a browser that signed in with that address before (its own count). */
    THROTTLE_SIGN_IN_PER_KNOWN_BROWSER: rate.default("10/15m"),
    /** Requests that send mail (sign-up, password reset, adding an address, a new link) per IP. */
    THROTTLE_MAIL_PER_IP: rate.default("20/1h"),
    /** Requests that send mail to one address, per kind of mail (sign-up, password reset, address confirmation). */
    THROTTLE_MAIL_PER_ADDRESS: rate.default("5/1h"),
    /** Failed client authentications (token, introspection, revocation …) per (client id, IP). */
    THROTTLE_CLIENT_AUTH_PER_CLIENT_AND_IP: rate.default("20/5m"),
    /** Failed client authentications per IP over every client id. */
    THROTTLE_CLIENT_AUTH_PER_IP: rate.default("100/5m"),
    /** Sign-in links one client's backend may ask for (POST /api/sign-in-links), over every address. */
    THROTTLE_SIGN_IN_LINK_PER_CLIENT: rate.default("600/1h"),
    /** Sign-in links asked for one address, by every client together. */
    THROTTLE_SIGN_IN_LINK_PER_ADDRESS: rate.default("10/1h"),
    /**
     * Wallet sign-in and sign-up challenges (the message a wallet signs) per IP. Every wallet
     * sign-in or sign-up needs a fresh challenge, so this bounds the signatures checked.
     */
    THROTTLE_WALLET_PER_IP: rate.default("60/15m"),
    /**
     * Stripe secret API key (sk_live_… or sk_test_…, or a restricted key allowed customers,
     * Checkout sessions and subscriptions). Unset: billing is off and /account/billing says so.
     */
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, "must be a Stripe secret key (sk_… or rk_…)").optional(),
    /** The signing secret (whsec_…) of the Stripe webhook endpoint pointed at ISSUER/webhooks/stripe. Required with STRIPE_SECRET_KEY. */
    STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, "must be a Stripe webhook signing secret (whsec_…)").optional(),
    /** Stripe price id (price_…) of the Premium plan paid monthly. At least one price is required with STRIPE_SECRET_KEY. */
    STRIPE_PRICE_MONTHLY: z.string().regex(/^price_/, "must be a Stripe price id (price_…)").optional(),
    /** Stripe price id (price_…) of the Premium plan paid yearly. */
    STRIPE_PRICE_YEARLY: z.string().regex(/^price_/, "must be a Stripe price id (price_…)").optional(),
    /**
     * Where Stripe's API is reached, as protocol://host:port. Unset: Stripe's own
     * (https://api.stripe.com). For a local stand-in of Stripe's API (tests, stripe-mock).
     */
    STRIPE_API_URL: z.url({ message: "must be an absolute URL such as http://localhost:12111" }).optional(),
    /**
     * Days the audit trail (sign-ins, password and email changes, consents, operator actions)
     * is kept; older records are deleted daily. Users see theirs on the account page.
     */
    AUDIT_RETENTION_DAYS: z.coerce.number({ message: "must be a whole number of days" }).int().min(1, "must be at least 1 day").default(365),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.ISSUER) {
      ctx.addIssue({ code: "custom", path: ["ISSUER"], message: "is required in production" });
    }
    if (env.NODE_ENV === "production" && !env.SMTP_URL) {
      ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "is required in production (mail would only reach the development outbox)" });
    }
    if (env.NODE_ENV === "production" && env.ISSUER && !env.ISSUER.startsWith("https://")) {
      ctx.addIssue({ code: "custom", path: ["ISSUER"], message: "must use https in production" });
    }
    // Tessera speaks plain HTTP: with an https issuer it only learns that a browser used
    // https from the TLS proxy's X-Forwarded-Proto, and without that the provider refuses
    // to set its secure cookies — every sign-in would end in a 500.
    if (env.NODE_ENV === "production" && env.ISSUER?.startsWith("https://") && !env.TRUST_PROXY) {
      ctx.addIssue({
        code: "custom",
        path: ["TRUST_PROXY"],
        message: "must be true in production with an https ISSUER: run Tessera behind the TLS-terminating proxy that serves ISSUER, and set TRUST_PROXY=true",
      });
    }
    const logoProblem = env.BRAND_LOGO === undefined ? undefined : brandLogoProblem(env.BRAND_LOGO);
    if (logoProblem) ctx.addIssue({ code: "custom", path: ["BRAND_LOGO"], message: logoProblem });
    if (env.BRAND_SUPPORT_URL !== undefined && !/^(?:https:\/\/[^\s]+|mailto:[^\s]+@[^\s]+)$/.test(env.BRAND_SUPPORT_URL)) {
      ctx.addIssue({ code: "custom", path: ["BRAND_SUPPORT_URL"], message: "must be an https:// or mailto: URL" });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_WEBHOOK_SECRET"], message: "is required with STRIPE_SECRET_KEY (plans change only on Stripe's verified word)" });
    }
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_PRICE_MONTHLY && !env.STRIPE_PRICE_YEARLY) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_PRICE_MONTHLY"], message: "or STRIPE_PRICE_YEARLY is required with STRIPE_SECRET_KEY" });
    }
  });

/** Image types a logo file may have, by extension, with the Content-Type it is served as. */
const logoTypes: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

function brandLogoProblem(value: string): string | undefined {
  // https only: pages allow images from their own origin and https (security-headers.ts).
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value.startsWith("https://") && URL.canParse(value) ? undefined : "must be an https URL or the path of an image file";
  if (!logoTypes[path.extname(value).toLowerCase()]) return "must name an .svg, .png, .jpg or .webp file (or be an https URL)";
  // Checked at start, not at the first page view: a typo stops start-up naming the setting.
  if (!fs.statSync(value, { throwIfNoEntry: false })?.isFile()) return `names ${path.resolve(value)}, which is not a readable file`;
  return undefined;
}

/** Every setting with its schema; README.md's settings reference is generated from these. */
export const settings = schema.shape;

export type Env = Record<string, string | undefined>;

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export interface Config {
  env: "development" | "test" | "production";
  port: number;
  host: string;
  issuer: string;
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };
  dataDir: string;
  keysDir: string;
  log: { level: string; pretty: boolean };
  trustProxy: boolean;
  demoClient: { enabled: boolean; secret: string };
  jobs: { pollSeconds: number };
  passwords: { minLength: number; argon2: { memoryCost: number; timeCost: number; parallelism: number } };
  wallet: WalletConfig;
  brand: Brand;
  /** Anti-automation limits (src/security/throttle), each `limit` per `windowSeconds`. */
  throttle: {
    signIn: { perAccountAndIp: RateLimit; perAccount: RateLimit; perIp: RateLimit; perKnownBrowser: RateLimit };
    mail: { perIp: RateLimit; perAddress: RateLimit };
    clientAuth: { perClientAndIp: RateLimit; perIp: RateLimit };
    signInLink: { perClient: RateLimit; perAddress: RateLimit };
    wallet: { perIp: RateLimit };
  };
  /** Stripe billing; undefined when STRIPE_SECRET_KEY is unset. */
  billing?: {
    secretKey: string;
    webhookSecret: string;
    prices: { month?: string; year?: string };
    /** A stand-in for Stripe's API; undefined: Stripe's own. */
    api?: { protocol: "http" | "https"; host: string; port: number };
  };
  audit: { retentionDays: number };
  mail: {
    from: string;
    /** SMTP when set; otherwise the development outbox folder. */
    transport: { kind: "smtp"; url: string } | { kind: "outbox"; dir: string };
    retryBaseSeconds: number;
    maxAttempts: number;
  };
}

export type FieldRule = "required" | "optional" | "off";

export interface WalletConfig {
  enabled: boolean;
  chainIds: readonly number[];
  challengeMinutes: number;
  signUp: { enabled: boolean; fields: { name: FieldRule; email: FieldRule } };
  /** Set: smart-contract wallets (EIP-1271) are verified through this RPC endpoint. */
  rpcUrl: string | undefined;
}

function signUpFields(list: string): { name: FieldRule; email: FieldRule } {
  const fields: { name: FieldRule; email: FieldRule } = { name: "off", email: "off" };
  for (const entry of list.split(",")) {
    const [field, rule] = entry.trim().split(":") as ["name" | "email", FieldRule];
    fields[field] = rule;
  }
  return fields;
}

/** What pages and mails show as the product: BRAND_* settings. */
export interface Brand {
  name: string;
  /** A URL to show; or a file Tessera serves at /brand/logo with this Content-Type. */
  logo?: { kind: "url"; url: string } | { kind: "file"; file: string; contentType: string };
  /** Six-digit lower-case hex, e.g. #7a1f5c; unset: the stylesheet's own colours. */
  primaryColor?: string;
  supportUrl?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Env): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(blanksRemoved);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    );
  }
  const parsed = result.data;
  const dataDir = path.resolve(parsed.DATA_DIR);
  return Object.freeze({
    env: parsed.NODE_ENV,
    port: parsed.PORT,
    host: parsed.HOST,
    issuer: (parsed.ISSUER ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ""),
    database: parsed.DATABASE_URL
      ? { kind: "postgres" as const, url: parsed.DATABASE_URL }
      : { kind: "pglite" as const, dataDir: path.join(dataDir, "pglite") },
    dataDir,
    keysDir: path.resolve(parsed.KEYS_DIR),
    log: {
      level: parsed.LOG_LEVEL,
      pretty: (parsed.LOG_FORMAT ?? (parsed.NODE_ENV === "development" ? "pretty" : "json")) === "pretty",
    },
    trustProxy: parsed.TRUST_PROXY,
    demoClient: {
      enabled: parsed.DEMO_CLIENT ?? parsed.NODE_ENV !== "production",
      secret: parsed.DEMO_CLIENT_SECRET,
    },
    jobs: { pollSeconds: parsed.JOBS_POLL_SECONDS },
    passwords: {
      minLength: parsed.PASSWORD_MIN_LENGTH,
      argon2: { memoryCost: parsed.ARGON2_MEMORY_KIB, timeCost: parsed.ARGON2_TIME_COST, parallelism: parsed.ARGON2_PARALLELISM },
    },
    wallet: {
      enabled: parsed.WALLET_LOGIN,
      chainIds: [...new Set(parsed.WALLET_CHAIN_IDS.split(",").map((id) => Number(id.trim())))],
      challengeMinutes: parsed.WALLET_CHALLENGE_MINUTES,
      signUp: { enabled: parsed.WALLET_SIGN_UP, fields: signUpFields(parsed.WALLET_SIGN_UP_FIELDS) },
      rpcUrl: parsed.WALLET_RPC_URL,
    },
    brand: {
      name: parsed.BRAND_NAME,
      logo: parsed.BRAND_LOGO === undefined
        ? undefined
        : parsed.BRAND_LOGO.startsWith("https://")
          ? { kind: "url" as const, url: parsed.BRAND_LOGO }
          : { kind: "file" as const, file: path.resolve(parsed.BRAND_LOGO), contentType: logoTypes[path.extname(parsed.BRAND_LOGO).toLowerCase()]! },
      primaryColor: parsed.BRAND_PRIMARY_COLOR && sixDigitHex(parsed.BRAND_PRIMARY_COLOR),
      supportUrl: parsed.BRAND_SUPPORT_URL,
    },
    throttle: {
      signIn: {
        perAccountAndIp: rateLimit(parsed.THROTTLE_SIGN_IN_PER_ACCOUNT_AND_IP),
        perAccount: rateLimit(parsed.THROTTLE_SIGN_IN_PER_ACCOUNT),
        perIp: rateLimit(parsed.THROTTLE_SIGN_IN_PER_IP),
        perKnownBrowser: rateLimit(parsed.THROTTLE_SIGN_IN_PER_KNOWN_BROWSER),
      },
      mail: { perIp: rateLimit(parsed.THROTTLE_MAIL_PER_IP), perAddress: rateLimit(parsed.THROTTLE_MAIL_PER_ADDRESS) },
      clientAuth: { perClientAndIp: rateLimit(parsed.THROTTLE_CLIENT_AUTH_PER_CLIENT_AND_IP), perIp: rateLimit(parsed.THROTTLE_CLIENT_AUTH_PER_IP) },
      signInLink: { perClient: rateLimit(parsed.THROTTLE_SIGN_IN_LINK_PER_CLIENT), perAddress: rateLimit(parsed.THROTTLE_SIGN_IN_LINK_PER_ADDRESS) },
      wallet: { perIp: rateLimit(parsed.THROTTLE_WALLET_PER_IP) },
    },
    billing: parsed.STRIPE_SECRET_KEY && parsed.STRIPE_WEBHOOK_SECRET
      ? {
          secretKey: parsed.STRIPE_SECRET_KEY,
          webhookSecret: parsed.STRIPE_WEBHOOK_SECRET,
          prices: { month: parsed.STRIPE_PRICE_MONTHLY, year: parsed.STRIPE_PRICE_YEARLY },
          api: parsed.STRIPE_API_URL ? stripeApi(new URL(parsed.STRIPE_API_URL)) : undefined,
        }
      : undefined,
    audit: { retentionDays: parsed.AUDIT_RETENTION_DAYS },
    mail: {
      from: parsed.MAIL_FROM,
      transport: parsed.SMTP_URL
        ? { kind: "smtp" as const, url: parsed.SMTP_URL }
        : { kind: "outbox" as const, dir: path.join(dataDir, "outbox") },
      retryBaseSeconds: parsed.MAIL_RETRY_BASE_SECONDS,
      maxAttempts: parsed.MAIL_MAX_ATTEMPTS,
    },
  });
}

/** #abc → #aabbcc, lower case: one spelling for the stylesheet and the mails. */
function sixDigitHex(color: string): string {
  const digits = color.slice(1).toLowerCase();
  return `#${digits.length === 3 ? [...digits].map((digit) => digit + digit).join("") : digits}`;
}

function stripeApi(url: URL): { protocol: "http" | "https"; host: string; port: number } {
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { protocol, host: url.hostname, port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443 };
}

/**
 * The settings of this process: the environment, completed by a `.env` file in the working
 * directory when there is one (read with Node's own loader, which never replaces a variable
 * the environment already sets — so a deployment's real settings win over a leftover file).
 */
export function loadConfig(): Config {
  loadEnvFile(".env");
  return parseConfig(process.env);
}

function loadEnvFile(file: string): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new ConfigError([`${file} cannot be read (${error instanceof Error ? error.message : String(error)})`]);
  }
}
