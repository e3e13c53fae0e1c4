/**
 * Whether the time of an answer tells if an address has an account: the password-reset
 * request (/password/forgot) and the registration form, each asked many times for a known
 * and for an unknown address, interleaved in random order, timed from the client (the
 * request only, not the page load before it). Prints median, mean and spread per group and
 * the difference of the medians, and for registration the statuses seen (both 303 to
 * "Check your email"). A timed claim lives here rather than in a test (the
 * machine's load makes single timings meaningless; many tries side by side do not lie).
 * Usage: npx tsx bench/account-enumeration.ts [tries per group]   (DATABASE_URL optional)
 */
import { BrowserSession, confirmRegistration, interactionPath, newPerson, type Person } from "../test/support/browser-session.js";
import { demoAuthorizeUrl } from "../test/support/demo.js";
import { startTestTessera } from "../test/support/tessera.js";

const tries = Number(process.argv[2] ?? 200);

interface Stats {
  median: number;
  mean: number;
  p10: number;
  p90: number;
  sd: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const sd = Math.sqrt(sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / sorted.length);
  return { median: at(0.5), mean, p10: at(0.1), p90: at(0.9), sd };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function report(title: string, groups: Record<string, number[]>): void {
  console.log(`\n${title} (${tries} tries each, interleaved)`);
  const summaries: Array<[string, Stats]> = Object.entries(groups).map(([name, samples]) => [name, stats(samples)]);
  for (const [name, s] of summaries) {
    console.log(`  ${name.padEnd(16)} median ${ms(s.median)}  mean ${ms(s.mean)}  p10 ${ms(s.p10)}  p90 ${ms(s.p90)}  sd ${ms(s.sd)}`);
  }
  const [a, b] = summaries.map(([, s]) => s) as [Stats, Stats];
  console.log(`  difference of medians ${ms(a.median - b.median)} (${((a.median / b.median - 1) * 100).toFixed(1)} %)`);
}

/** Runs `known` and `unknown` `tries` times each, in a shuffled order, and answers their timings. */
async function interleaved(known: () => Promise<number>, unknown: () => Promise<number>): Promise<Record<string, number[]>> {
  const order = [...Array<boolean>(tries).fill(true), ...Array<boolean>(tries).fill(false)].sort(() => Math.random() - 0.5);
  const timings: Record<string, number[]> = { "known address": [], "unknown address": [] };
  for (const isKnown of order) timings[isKnown ? "known address" : "unknown address"]!.push(await (isKnown ? known : unknown)());
  return timings;
}

async function timed(work: () => Promise<Response>, expectStatus: number): Promise<number> {
  const started = performance.now();
  const response = await work();
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== expectStatus) throw new Error(`answered ${response.status}, expected ${expectStatus}`);
  return elapsed;
}

const tessera = await startTestTessera({ env: { LOG_LEVEL: "warn" } });
try {
  const form = (fields: Record<string, string>) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual" as const,
  });

  // An account whose address is the known one (made by its registration link).
  const owner = newPerson();
  const first = new BrowserSession(tessera.issuer);
  await first.follow(`${interactionPath(await first.follow(demoAuthorizeUrl(tessera)))}/register`, { form: { ...owner } });
  await confirmRegistration(first, owner.email, tessera.mailbox);
  await tessera.jobs.whenIdle();

  // Warm-up: the first argon2 hash and the first queries are slower for everyone.
  for (let i = 0; i < 5; i++) await fetch(`${tessera.issuer}/password/forgot`, form({ email: newPerson().email }));

  const reset = await interleaved(
    () => timed(() => fetch(`${tessera.issuer}/password/forgot`, form({ email: owner.email })), 200),
    () => timed(() => fetch(`${tessera.issuer}/password/forgot`, form({ email: newPerson().email })), 200),
  );
  report("Password reset request", reset);
  await tessera.jobs.whenIdle();

  /** Opens a fresh sign-in (untimed) and times the registration post alone. */
  async function register(person: Person): Promise<{ elapsed: number; status: number }> {
    const session = new BrowserSession(tessera.issuer);
    const path = interactionPath(await session.follow(demoAuthorizeUrl(tessera)));
    const started = performance.now();
    const hop = await session.request(`${path}/register`, { form: { ...person } });
    return { elapsed: performance.now() - started, status: hop.status };
  }
  const statuses = new Map<string, Set<number>>([["known", new Set()], ["unknown", new Set()]]);
  const registration = await interleaved(
    async () => {
      const { elapsed, status } = await register({ ...newPerson(), email: owner.email });
      statuses.get("known")!.add(status);
      return elapsed;
    },
    async () => {
      const { elapsed, status } = await register(newPerson());
      statuses.get("unknown")!.add(status);
      return elapsed;
    },
  );
  report("Registration", registration);
  console.log(`  statuses: known ${[...statuses.get("known")!].join(", ")}; unknown ${[...statuses.get("unknown")!].join(", ")}`);
} finally {
  await tessera.close();
}
