/**
 * A stand-in for the part of Stripe's API Tessera calls, answering in Stripe's own shapes
 * (API 2025-03-31 and later: a subscription's period on its items), so the real `stripe`
 * SDK talks to it through STRIPE_API_URL:
 *   POST /v1/customers, DELETE /v1/customers/:id,
 *   POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id,
 *   POST /v1/checkout/sessions/:id/expire,
 *   GET /v1/subscriptions/:id, POST /v1/subscriptions/:id, DELETE /v1/subscriptions/:id (cancel),
 *   GET /v1/prices/:id.
 * Like Stripe, it saves the first answer to a POST with an Idempotency-Key and replays it
 * for the same key (refusing the key with other parameters). Tests drive what a customer
 * does at Stripe (`completeCheckout`, the /pay page), what Stripe does on its own
 * (`renew`, `endSubscription`), lose answers after applying the request
 * (`dropResponses`), fail requests with Stripe's own 500 without applying them
 * (`failRequests`), and send webhooks signed exactly as Stripe signs them.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import type { Clock } from "../../src/shared/clock.js";
import { startTestTessera, type TestTessera } from "./tessera.js";

export const fakeStripeKey = "sk_test_tessera_fake";
export const fakeWebhookSecret = "whsec_tessera_fake_secret";
export const monthlyPrice = "price_premium_monthly";
export const yearlyPrice = "price_premium_yearly";

type Json = Record<string, unknown>;

interface SavedAnswer {
  status: number;
  body: Json;
  params: string;
}

export interface SentWebhook {
  status: number;
  body: string;
  payload: string;
  header: string;
}

const day = 24 * 3600;

/** Stripe's form encoding (`a[b][0][c]=v`) back into objects and arrays. */
function parseForm(text: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[segment] = value;
        return;
      }
      container[segment] ??= /^\d+$/.test(path[index + 1]!) ? [] : {};
      node = container[segment] as Record<string, unknown>;
    });
  }
  return root;
}

export class FakeStripe {
  readonly customers = new Map<string, Json>();
  readonly deletedCustomers: string[] = [];
  readonly sessions = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  /** Every request received: method, path, idempotency key. */
  readonly requests: { method: string; path: string; idempotencyKey?: string }[] = [];
  private readonly saved = new Map<string, SavedAnswer>();
  private drops: { path: RegExp; remaining: number }[] = [];
  private failures: { method: string; path: RegExp; remaining: number }[] = [];
  /** The prices Stripe has (GET /v1/prices/:id), as the dashboard would set them up. */
  readonly prices = new Map<string, Json>([
    [monthlyPrice, { id: monthlyPrice, object: "price", active: true, currency: "eur", unit_amount: 300, type: "recurring", recurring: { interval: "month", interval_count: 1 }, livemode: false }],
    [yearlyPrice, { id: yearlyPrice, object: "price", active: true, currency: "eur", unit_amount: 3000, type: "recurring", recurring: { interval: "year", interval_count: 1 }, livemode: false }],
  ]);
  private counter = 0;
  private server?: http.Server;
  url = "";
  /** Where webhooks go (Tessera's /webhooks/stripe). */
  webhookUrl = "";

  constructor(private readonly clock: Clock) {}

  private id(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${Date.now().toString(36)}${this.counter}`;
  }

  private now(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Tessera's settings for this stand-in. */
  env(prices: { monthly?: boolean; yearly?: boolean } = { monthly: true, yearly: true }): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: fakeStripeKey,
      STRIPE_WEBHOOK_SECRET: fakeWebhookSecret,
      STRIPE_API_URL: this.url,
      ...(prices.monthly && { STRIPE_PRICE_MONTHLY: monthlyPrice }),
      ...(prices.yearly && { STRIPE_PRICE_YEARLY: yearlyPrice }),
    };
  }

  /** The next `times` answers to requests whose path matches are lost after the request took effect. */
  dropResponses(path: RegExp, times: number): void {
    this.drops.push({ path, remaining: times });
  }

  /** The next `times` requests of `method` to paths matching `path` fail as Stripe's own fault (500 api_error), changing nothing. */
  failRequests(method: string, path: RegExp, times: number): void {
    this.failures.push({ method, path, remaining: times });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const key = req.headers["idempotency-key"] as string | undefined;
    this.requests.push({ method, path: url.pathname, idempotencyKey: key });

    if (url.pathname.startsWith("/pay/")) return this.payPage(method, url, res);
    if (req.headers.authorization !== `Bearer ${fakeStripeKey}`) {
      return this.respond(res, url.pathname, 401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }

    const failure = this.failures.find((candidate) => candidate.remaining > 0 && candidate.method === method && candidate.path.test(url.pathname));
    if (failure) {
      failure.remaining -= 1;
      return this.respond(res, url.pathname, 500, { error: { type: "api_error", message: "An unknown error occurred" } });
    }

    let answer: { status: number; body: Json };
    const savedKey = key && method === "POST" ? `${key}` : undefined;
    const saved = savedKey ? this.saved.get(savedKey) : undefined;
    if (saved) {
      answer =
        saved.params === `${url.pathname} ${raw}`
          ? saved
          : { status: 400, body: { error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." } } };
    } else {
      answer = this.route(method, url.pathname, parseForm(raw));
      if (savedKey) this.saved.set(savedKey, { ...answer, params: `${url.pathname} ${raw}` });
    }
    this.respond(res, url.pathname, answer.status, answer.body);
  }

  private respond(res: http.ServerResponse, path: string, status: number, body: Json): void {
    const drop = this.drops.find((candidate) => candidate.remaining > 0 && candidate.path.test(path));
    if (drop) {
      drop.remaining -= 1;
      res.socket?.destroy();
      return;
    }
    res.writeHead(status, { "content-type": "application/json", "request-id": this.id("req") });
    res.end(JSON.stringify(body));
  }

  private missing(what: string, id: string): { status: number; body: Json } {
    return { status: 404, body: { error: { type: "invalid_request_error", code: "resource_missing", param: "id", message: `No such ${what}: '${id}'` } } };
  }

  private route(method: string, path: string, params: Json): { status: number; body: Json } {
    const [, , resource, id, ...rest] = path.split("/");
    if (resource === "customers" && method === "POST" && !id) return { status: 200, body: this.createCustomer(params) };
    if (resource === "customers" && method === "DELETE" && id) {
      if (!this.customers.has(id)) return this.missing("customer", id);
      this.customers.delete(id);
      this.deletedCustomers.push(id);
      for (const subscription of this.subscriptions.values()) {
        if (subscription.customer === id && subscription.status !== "canceled") Object.assign(subscription, { status: "canceled", ended_at: this.now(), canceled_at: this.now() });
      }
      return { status: 200, body: { id, object: "customer", deleted: true } };
    }
    if (resource === "checkout" && id === "sessions") {
      const sessionId = rest[0];
      if (method === "POST" && !sessionId) return { status: 200, body: this.createSession(params) };
      const session = sessionId ? this.sessions.get(sessionId) : undefined;
      if (!session) return this.missing("checkout.session", sessionId ?? "");
      if (method === "POST" && rest[1] === "expire") {
        if (session.status !== "open") {
          return { status: 400, body: { error: { type: "invalid_request_error", message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".` } } };
        }
        Object.assign(session, { status: "expired", url: null });
      }
      return { status: 200, body: session };
    }
    if (resource === "subscriptions" && id) {
      const subscription = this.subscriptions.get(id);
      if (!subscription) return this.missing("subscription", id);
      if (method === "DELETE") {
        if (subscription.status === "canceled") {
          return { status: 400, body: { error: { type: "invalid_request_error", message: `This subscription is already canceled: '${id}'` } } };
        }
        Object.assign(subscription, { status: "canceled", ended_at: this.now(), canceled_at: this.now(), cancel_at_period_end: false });
        return { status: 200, body: subscription };
      }
      if (method === "POST") {
        if (subscription.status === "canceled") {
          return { status: 400, body: { error: { type: "invalid_request_error", message: "A canceled subscription can only update its cancellation_details and metadata." } } };
        }
        if (params.cancel_at_period_end !== undefined) {
          const cancel = params.cancel_at_period_end === "true";
          Object.assign(subscription, { cancel_at_period_end: cancel, cancel_at: cancel ? this.periodEnd(subscription) : null, canceled_at: cancel ? this.now() : null });
        }
      }
      return { status: 200, body: subscription };
    }
    if (resource === "prices" && id && method === "GET") {
      const price = this.prices.get(id);
      return price ? { status: 200, body: price } : this.missing("price", id);
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` } } };
  }

  private createCustomer(params: Json): Json {
    const customer = { id: this.id("cus"), object: "customer", created: this.now(), email: params.email ?? null, name: params.name ?? null, metadata: params.metadata ?? {}, livemode: false, deleted: undefined };
    this.customers.set(customer.id, customer);
    return customer;
  }

  private createSession(params: Json): Json {
    const id = this.id("cs_test");
    const lineItems = (params.line_items as Json[] | undefined) ?? [];
    const session = {
      id,
      object: "checkout.session",
      mode: params.mode,
      status: "open",
      payment_status: "unpaid",
      customer: params.customer ?? null,
      client_reference_id: params.client_reference_id ?? null,
      metadata: params.metadata ?? {},
      subscription: null,
      success_url: params.success_url,
      cancel_url: params.cancel_url,
      url: `${this.url}/pay/${id}`,
      created: this.now(),
      expires_at: this.now() + day,
      livemode: false,
      line_items_price: lineItems[0]?.price,
    };
    this.sessions.set(id, session);
    return session;
  }

  private periodEnd(subscription: Json): number {
    const items = (subscription.items as { data: { current_period_end: number }[] }).data;
    return Math.max(...items.map((item) => item.current_period_end));
  }

  /** What a customer finishing Checkout makes Stripe do: an active subscription on the session's price. */
  completeCheckout(sessionId: string): { session: Json; subscription: Json } {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    const price = String(session.line_items_price);
    const interval = price === yearlyPrice ? "year" : "month";
    const start = this.now();
    const end = start + (interval === "year" ? 365 : 30) * day;
    const subscriptionId = this.id("sub");
    const subscription: Json = {
      id: subscriptionId,
      object: "subscription",
      customer: session.customer,
      status: "active",
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: start,
      start_date: start,
      default_payment_method: this.id("pm"),
      metadata: {},
      livemode: false,
      items: {
        object: "list",
        has_more: false,
        url: `/v1/subscription_items?subscription=${subscriptionId}`,
        data: [
          {
            id: this.id("si"),
            object: "subscription_item",
            subscription: subscriptionId,
            quantity: 1,
            current_period_start: start,
            current_period_end: end,
            price: { id: price, object: "price", active: true, currency: "eur", unit_amount: interval === "year" ? 3000 : 300, recurring: { interval, interval_count: 1 } },
          },
        ],
      },
    };
    this.subscriptions.set(subscriptionId, subscription);
    Object.assign(session, { status: "complete", payment_status: "paid", subscription: subscriptionId });
    return { session, subscription };
  }

  /** Stripe starting the next period of a renewing subscription. */
  renew(subscriptionId: string): Json {
    const subscription = this.subscriptions.get(subscriptionId)!;
    const item = (subscription.items as { data: Json[] }).data[0]!;
    const length = (item.current_period_end as number) - (item.current_period_start as number);
    Object.assign(item, { current_period_start: item.current_period_end, current_period_end: (item.current_period_end as number) + length });
    return subscription;
  }

  /** Stripe ending a subscription (at its period end, or after failed payments). */
  endSubscription(subscriptionId: string): Json {
    const subscription = this.subscriptions.get(subscriptionId)!;
    Object.assign(subscription, { status: "canceled", ended_at: this.now(), canceled_at: subscription.canceled_at ?? this.now() });
    return subscription;
  }

  invoiceFor(subscriptionId: string, status: "paid" | "open"): Json {
    const subscription = this.subscriptions.get(subscriptionId)!;
    return {
      id: this.id("in"),
      object: "invoice",
      customer: subscription.customer,
      status,
      parent: { type: "subscription_details", quote_details: null, subscription_details: { subscription: subscriptionId, metadata: {} } },
    };
  }

  /** An event as Stripe would send it (not yet sent). */
  event(type: string, object: Json, options: { created?: number; id?: string } = {}): string {
    return JSON.stringify({
      id: options.id ?? this.id("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: options.created ?? this.now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(object) },
    });
  }

  /** The Stripe-Signature header Stripe would put on `payload`, made by the SDK's own helper. */
  sign(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
    return Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? fakeWebhookSecret, timestamp: options.timestamp ?? this.now() });
  }

  /** POSTs a webhook to Tessera as Stripe does. */
  async deliver(payload: string, header = this.sign(payload)): Promise<SentWebhook> {
    const response = await fetch(this.webhookUrl, { method: "POST", headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" }, body: payload });
    return { status: response.status, body: await response.text(), payload, header };
  }

  /** Builds, signs and delivers an event. */
  send(type: string, object: Json, options: { created?: number } = {}): Promise<SentWebhook> {
    return this.deliver(this.event(type, object, options));
  }

  /** Checkout's page: a button that pays and returns to the success URL, as Stripe's does. */
  private payPage(method: string, url: URL, res: http.ServerResponse): void {
    const id = url.pathname.split("/")[2] ?? "";
    const session = this.sessions.get(id);
    if (!session) {
      res.writeHead(404).end("no such session");
      return;
    }
    if (method === "POST") {
      this.completeCheckout(id);
      res.writeHead(303, { location: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", id) }).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!DOCTYPE html><html lang="en"><head><title>Pay · Stripe stand-in</title><link rel="icon" href="data:,"></head><body><h1>Stripe stand-in</h1><form method="post"><button type="submit">Pay</button></form></body></html>`);
  }
}

export async function startFakeStripe(clock: Clock): Promise<FakeStripe> {
  return new FakeStripe(clock).start();
}

/**
 * The Stripe stand-in and a Tessera configured for it, with the stand-in's webhooks
 * pointed at that Tessera: the set-up of every billing test file.
 */
export async function startTesseraWithFakeStripe(
  clock: Clock,
  options: Omit<NonNullable<Parameters<typeof startTestTessera>[0]>, "clock"> = {},
): Promise<{ stripe: FakeStripe; tessera: TestTessera }> {
  const stripe = await startFakeStripe(clock);
  const tessera = await startTestTessera({ ...options, clock, env: { ...options.env, ...stripe.env() } });
  stripe.webhookUrl = `${tessera.issuer}/webhooks/stripe`;
  return { stripe, tessera };
}
