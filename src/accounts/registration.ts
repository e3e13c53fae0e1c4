/**
 * Registration with email and password, without saying whether an address has an account
 * (ASVS 5.0 6.3.8) and without letting anyone hold an address before its owner arrives.
 * Rules:
 * - Asking does the same work for every address: check the fields, hash the password
 *   (argon2, the costly part), store a pending registration and queue one job. The answer is
 *   always "check your email". The job looks the address up: a new address gets a link that
 *   creates the account; an address that has an account gets a mail telling its owner that
 *   someone tried to register with it, pointing to sign-in and password reset (no link that
 *   changes anything). bench/account-enumeration.ts measures the time of both.
 * - No account exists before the link is used: the pending registration keeps the name and
 *   the password's hash (never the password) until then, and a link for an address that has
 *   meanwhile got an account creates nothing. The owned address is unique, so of two
 *   registrations racing for one address exactly one makes an account.
 * - The link used in the browser that registered (a random value in a cookie, stored here
 *   only as its SHA-256) creates the account with the chosen password and continues that
 *   browser's sign-in. Used anywhere else, it asks for a password of the user's own and
 *   never lets the registering browser in: whoever registered someone else's address keeps
 *   no way into the account the owner creates with it (account pre-hijacking).
 * `createAccount` is the one place an account is made from a pending registration, for every
 * kind of link that does it.
 */
import { createHash, randomBytes } from "node:crypto";
import { describeValidity, TooManyLinksError, type ConfirmationService, type Tx } from "../confirmation/index.js";
import { jobType, scheduledTask, type EventRecorder, type JobHandler, type JobQueue } from "../jobs/index.js";
import { AppError, type Clock, FormError, type Logger } from "../shared/index.js";
import { emailProblem, nameProblem } from "./input-rules.js";
import { normalizeEmail } from "./normalize-email.js";
import type { Passwords } from "./password.js";
import { mailRequestRetry } from "./password-reset.js";
import type { PendingRegistration, RegistrationRepository } from "./registration-repository.js";
import { AddressTakenError, type AccountRepository } from "./repository.js";
import type { Account, MailSender, RegistrationInput } from "./types.js";

/** As long as the link: a registration nobody confirmed within it is forgotten. */
const validityMs = 24 * 3600_000;

export type RegistrationRequest = { registrationId: string };

/** A registration was asked for: the job that looks the address up and sends the right mail. */
export const registrationRequested = jobType<RegistrationRequest>("accounts.registration-requested");

/** The cookie that tells the browser which registered apart from every other. */
export const registrationBrowserCookie = { name: "tessera.registration", maxAgeMs: validityMs } as const;

/** A fresh value for the browser cookie (256 bits). */
export const newBrowserValue = (): string => randomBytes(32).toString("base64url");

const digest = (browser: string): string => createHash("sha256").update(browser).digest("base64url");

/** The link's address got an account in between (another registration's link won). */
export class AddressRegisteredError extends AppError {
  constructor() {
    super("accounts.address_registered", "An account with this address was created in the meantime. Sign in with it, or reset its password if you do not know it.", 409);
  }
}

export class RegistrationGoneError extends AppError {
  constructor() {
    super("accounts.registration_gone", "This registration is no longer waiting. Start again from the application you were signing in to.", 410);
  }
}

function fieldProblems(fields: { name?: string; email?: string; password?: string }, passwords: Passwords): Record<string, string> {
  const problems: Record<string, string> = {};
  const name = fields.name === undefined ? undefined : nameProblem(fields.name);
  if (name) problems.name = name;
  const email = fields.email === undefined ? undefined : emailProblem(fields.email);
  if (email) problems.email = email;
  const password = fields.password === undefined ? undefined : passwords.problem(fields.password);
  if (password) problems.password = password;
  return problems;
}

export function createRegistrationService(deps: {
  repo: AccountRepository;
  registrations: RegistrationRepository;
  confirmations: ConfirmationService;
  mail: MailSender;
  events: EventRecorder;
  jobs: JobQueue;
  clock: Clock;
  passwords: Passwords;
  /** Where the mail to an address that has an account points: sign-in and password reset. */
  links: { signIn: string; reset: string };
}) {
  const { repo, registrations, confirmations, mail, events, clock, passwords } = deps;
  const isRegisteringBrowser = (pending: PendingRegistration, browser: string | undefined): boolean =>
    Boolean(browser && pending.browserHash && pending.passwordHash && pending.browserHash === digest(browser));

  /** Creates the account a pending registration asked for, in the transaction that uses its link. */
  async function createAccount(tx: Tx, registrationId: string, options: { passwordHash?: string | null; name?: string; keepBrowser: boolean }): Promise<Account> {
    const pending = await registrations.find(registrationId, tx);
    if (!pending || pending.accountId) throw new RegistrationGoneError();
    const name = options.name ?? pending.name;
    try {
      const created = await repo.createVerified(tx, {
        name,
        address: pending.address,
        normalized: pending.normalized,
        passwordHash: options.passwordHash === undefined ? pending.passwordHash : options.passwordHash,
        verifiedAt: clock.now(),
      });
      await registrations.complete(tx, registrationId, created.account.id, options.keepBrowser);
      await events.record(tx, { type: "account.registered", accountId: created.account.id, email: pending.address });
      await events.record(tx, { type: "account.email-verified", accountId: created.account.id, email: pending.address });
      return created.account;
    } catch (error) {
      if (error instanceof AddressTakenError) throw new AddressRegisteredError();
      throw error;
    }
  }

  return {
    passwordLength: passwords.length,
    createAccount,

    /**
     * Stores a pending registration (for this browser and sign-in) and queues the job that
     * mails; the same work whatever the address (see above). `browser` is the cookie's value.
     */
    async request(input: RegistrationInput, context: { browser: string; interactionUid?: string }): Promise<{ address: string; registrationId: string }> {
      const name = input.name.trim();
      const address = input.email.trim();
      const problems = fieldProblems({ name, email: address, password: input.password }, passwords);
      if (Object.keys(problems).length) throw new FormError(problems);
      const passwordHash = await passwords.hash(input.password);
      const registrationId = await repo.transaction(async (tx) => {
        const id = await registrations.create(tx, {
          address,
          normalized: normalizeEmail(address),
          name,
          passwordHash,
          browserHash: digest(context.browser),
          interactionUid: context.interactionUid ?? null,
          expiresAt: new Date(clock.now().getTime() + validityMs),
        });
        // Due at once: the job for a new address (a link) and for a known one (a notice) do
        // about the same work, so running beside the answer slows neither kind more.
        await deps.jobs.enqueue(tx, registrationRequested, { registrationId: id });
        return id;
      });
      return { address, registrationId };
    },

    /** The registration this browser is waiting on in this sign-in, for the "check your email" page. */
    waiting: (browser: string | undefined, interactionUid: string): Promise<PendingRegistration | null> =>
      browser ? registrations.findWaiting(digest(browser), interactionUid, clock.now()) : Promise.resolve(null),

    /** Sends the mail again (the job decides which, and keeps to the per-link limit). */
    async resend(pending: PendingRegistration): Promise<void> {
      await repo.transaction((tx) => deps.jobs.enqueue(tx, registrationRequested, { registrationId: pending.id }));
    },

    /** The job behind `request` and `resend`. */
    async sendMail(payload: RegistrationRequest, log: Logger): Promise<void> {
      const pending = await registrations.find(payload.registrationId);
      if (!pending || pending.accountId || pending.expiresAt <= clock.now()) return;
      const owned = await repo.findOwnedEmail(pending.normalized);
      await repo.transaction(async (tx) => {
        if (owned) {
          await mail.enqueue(tx, { to: owned.address, template: "registration-attempt", variables: { name: owned.name, signInLink: deps.links.signIn, resetLink: deps.links.reset } });
          return;
        }
        try {
          await confirmations.assertMaySend("sign-up", pending.id, tx);
        } catch (error) {
          if (!(error instanceof TooManyLinksError)) throw error;
          log.info({ registrationId: pending.id }, "registration link not sent: one was sent moments ago");
          return;
        }
        const link = await confirmations.create(tx, { intent: "sign-up", objectId: pending.id });
        await mail.enqueue(tx, { to: pending.address, template: "registration", variables: { name: pending.name, link: link.url, expiresIn: describeValidity("sign-up") } });
      });
    },

    /**
     * Whether `browser` (the cookie's value) is the one that registered and chose a password:
     * only then does the link use that password and continue its sign-in.
     */
    isRegisteringBrowser,

    find: (registrationId: string) => registrations.find(registrationId),

    /**
     * Uses the link of `registrationId`: in the registering browser with the chosen password;
     * anywhere else with the `password` (and `name`) given on the link's page. Answers the
     * account and, in the registering browser, the sign-in to continue.
     */
    async confirm(key: string, registrationId: string, browser: string | undefined, fields: { name?: string; password?: string }): Promise<{ account: Account; interactionUid?: string }> {
      const pending = await registrations.find(registrationId);
      if (!pending || pending.accountId) throw new RegistrationGoneError();
      const sameBrowser = isRegisteringBrowser(pending, browser);
      let chosen: { name: string; passwordHash: string } | undefined;
      if (!sameBrowser) {
        const name = (fields.name ?? "").trim();
        const problems = fieldProblems({ name, password: fields.password ?? "" }, passwords);
        if (Object.keys(problems).length) throw new FormError(problems);
        // Hashed before the transaction, which stays short.
        chosen = { name, passwordHash: await passwords.hash(fields.password!) };
      }
      return confirmations.redeem(key, ["sign-up"], async (confirmation, tx) => {
        if (confirmation.objectId !== registrationId) throw new RegistrationGoneError();
        if (!chosen) return { account: await createAccount(tx, registrationId, { keepBrowser: true }), interactionUid: pending.interactionUid ?? undefined };
        return { account: await createAccount(tx, registrationId, { ...chosen, keepBrowser: false }) };
      });
    },

    /** The account the link created for this browser's sign-in, once: the sign-in continues with it. */
    takeCompleted: (browser: string | undefined, interactionUid: string): Promise<string | undefined> =>
      browser ? registrations.takeCompleted(digest(browser), interactionUid) : Promise.resolve(undefined),

  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;

export function registrationRequestHandler(service: RegistrationService): JobHandler<RegistrationRequest> {
  return { ...mailRequestRetry, run: (payload, { log }) => service.sendMail(payload, log) };
}

export const purgeRegistrations = jobType<Record<string, never>>("accounts.purge-registrations");

/** Forgets registrations nobody confirmed in time (their links have expired too). */
export function purgeRegistrationsHandler(registrations: RegistrationRepository, clock: Clock): JobHandler<Record<string, never>> {
  return scheduledTask(async ({ log }) => {
    const count = await registrations.purgeExpired(clock.now());
    if (count) log.info({ count }, "purged unconfirmed registrations");
  });
}
