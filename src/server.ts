/**
 * The composition root: opens the database, applies migrations, loads keys, wires the
 * rooms together and listens. `main.ts` calls it for a real start, tests for each suite.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type Provider from "oidc-provider";
import {
  mountAccountRoutes,
  createPasswordChange,
  mountHomeRoutes,
  createAccountRepository,
  createAccountService,
  createNameWriter,
  createEmailService,
  createPasswordResetService,
  createProfileRepository,
  createProfileService,
  createTermsService,
  emailConfirmationHandlers,
  passwordResetHandler,
  signUpHandler,
  createRegistrationService,
  createRegistrationRepository,
  passwordPaths,
  accountPaths,
  mountPasswordRoutes,
  createScopeWords,
  createPasswords,
  createConfirmedAddressAccounts,
  type ClaimContributor,
} from "./accounts/index.js";
import { createBilling, mountBillingRoutes, mountStripeWebhook, planClaims } from "./billing/index.js";
import { createConfirmationService, mountConfirmationRoutes } from "./confirmation/index.js";
import { createConsentService, createOrganisationRepository } from "./orgs/index.js";
import { startAdminApi, type AdminApi } from "./cli/admin-api-server.js";
import type { Config } from "./config.js";
import { openDatabase, type Database, type DatabaseTarget } from "./db/database.js";
import { applyMigrations } from "./db/migrate.js";
import { demoAuthorizeUrl, mountDemoRoutes } from "./demo/routes.js";
import { seedDemoClient } from "./demo/seed.js";
import { createApp } from "./http/app.js";
import { loadBrandAssets } from "./http/brand.js";
import { createEdge, createFlash, forClients, type Edge } from "./http/edge/index.js";
import { mountHealthRoutes } from "./http/health.js";
import { mountInteractionRoutes } from "./interactions/routes.js";
import type { LoginMethod } from "./interactions/login-method.js";
import { continueRegisteredSignIn, passwordLogin, registeringBrowser } from "./interactions/password/password-login.js";
import { walletLogin } from "./interactions/wallet/wallet-login.js";
import { signInLinkLogin } from "./interactions/sign-in-link/sign-in-link-login.js";
import {
  createSignInLinkRepository,
  createSignInLinkService,
  flowCookieName,
  linkTokens,
  mountSignInLinkApi,
  mountSignInLinkPages,
  signInLinkConfirmationHandler,
  type LinkClients,
} from "./signin-links/index.js";
import { createEventLog, createJobRepository, createJobRunner, type JobRunner } from "./jobs/index.js";
import { resumeSignIn } from "./interactions/verify-email.js";
import { createMailQueue, mountOutboxRoutes } from "./mail/index.js";
import { createPushRepository, createStreamService, mountSsfRoutes } from "./push/index.js";
import { defineAccountWork, defineBackgroundWork } from "./background.js";
import {
  accountClient,
  clientAuthGuard,
  clientCacheTtlMs,
  clientChangesChannel,
  createClientCache,
  clientSecrets,
  createAdapterFactory,
  expiredSignIns,
  createProvider,
  revokeAccountAccess,
  loadOrCreateAtRestKeys,
  loadOrCreateKeys,
  sealPlainClientSecrets,
  providerSession,
  accountSessions,
  clientCredentialsBearer,
  connectedApplications,
  deleteAccountRecords,
  recordSignIns,
  recordSignOuts,
  resourceServerLookup,
  resourceServerNames,
  seedAccountClient,
  waitingInteractionUid,
} from "./oidc/index.js";
import {
  createClientAuthThrottle,
  createWalletThrottle,
  createKnownBrowsers,
  createMailThrottle,
  createSignInLinkThrottle,
  createSignInThrottle,
  createThrottle,
  createAuditRepository,
  securityActivity,
} from "./security/index.js";
import { systemClock, type Clock } from "./shared/clock.js";
import { createWalletRepository, createWalletService, signatureCheck, unlinkAllWallets, walletAccountPanel } from "./wallet/index.js";
import type { Logger } from "./shared/log.js";

export interface Tessera {
  url: string;
  db: Database;
  /** The job runner: tests wait for it instead of sleeping. */
  jobs: Pick<JobRunner, "whenIdle" | "runDue">;
  close(): Promise<void>;
}

export async function startTessera(
  config: Config,
  options: {
    log: Logger;
    clock?: Clock;
    database?: DatabaseTarget;
    /** Mounts routes of the caller's own on the edge, after Tessera's (tests use it). */
    mount?: (edge: Edge, provider: Provider) => void;
    /** Login methods of the caller's own, after Tessera's (tests use it). */
    loginMethods?: readonly LoginMethod[];
    /** Claims of the caller's own, after Tessera's (tests use it). */
    claimContributors?: readonly ClaimContributor[];
  },
): Promise<Tessera> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const db = await openDatabase(options.database ?? config.database);
  try {
    const applied = await applyMigrations(db.sql);
    if (applied.length) log.info({ migrations: applied }, "applied migrations");

    const keys = await loadOrCreateKeys(config.keysDir);
    const atRestKeys = await loadOrCreateAtRestKeys(config.keysDir);
    for (const file of [...keys.created, ...(atRestKeys.created ? [atRestKeys.created] : [])]) log.info({ file }, "generated key material");
    const secrets = clientSecrets(atRestKeys);
    if (config.demoClient.enabled) await seedDemoClient(db.prisma, config.issuer, config.demoClient.secret, secrets);
    const sealed = await sealPlainClientSecrets(db.prisma, secrets);
    if (sealed) log.info({ clients: sealed }, "encrypted client secrets that were stored in plain text");

    await seedAccountClient(db.prisma, config.issuer);

    const jobs = createJobRunner({ repo: createJobRepository(db.prisma), clock, log: log.child({ room: "jobs" }), listen: db.listen, pollSeconds: config.jobs.pollSeconds });
    const events = createEventLog({ jobs, clock });
    const mail = createMailQueue({ jobs });
    const production = config.env === "production";
    const push = createPushRepository(db.prisma);
    const billing = createBilling(config.billing, { prisma: db.prisma, events, clock, issuer: config.issuer, log: log.child({ room: "billing" }) });
    await defineBackgroundWork(jobs, events, { config, prisma: db.prisma, clock, jwks: keys.jwks, push, billing });

    const throttle = createThrottle({ prisma: db.prisma, clock });
    const mailThrottle = createMailThrottle(throttle, config.throttle.mail);
    const signInThrottle = createSignInThrottle(throttle, config.throttle.signIn);
    const knownBrowsers = createKnownBrowsers(keys.cookieKeys);

    const repo = createAccountRepository(db.prisma);
    const writeName = createNameWriter({ events });
    const confirmations = createConfirmationService({ prisma: db.prisma, clock, issuer: config.issuer });
    const passwords = createPasswords(config.passwords);
    const accounts = createAccountService({ repo, confirmations, mail, events, passwords });
    const emails = createEmailService({ repo, confirmations, mail, events, clock });
    const walletRepo = createWalletRepository(db.prisma);
    const passwordReset = createPasswordResetService({
      repo, confirmations, mail, events, jobs, clock, passwords,
      revokeAccess: revokeAccountAccess,
      dropOtherSignIns: unlinkAllWallets({ repo: walletRepo, events }),
    });
    const registrations = createRegistrationService({
      repo, registrations: createRegistrationRepository(db.prisma), confirmations, mail, events, jobs, clock, passwords,
      links: { signIn: `${config.issuer}${accountPaths.home}`, reset: `${config.issuer}${passwordPaths.forgot}` },
    });
    defineAccountWork(jobs, { passwordReset, registrations });
    const terms = createTermsService({ prisma: db.prisma, clock, writeName });
    const organisations = { ...createOrganisationRepository(db.prisma), ...createConsentService({ prisma: db.prisma, events }) };
    // Claims other rooms add under scopes of their own, one entry per room.
    const claimContributors: ClaimContributor[] = [planClaims(billing.service), ...(options.claimContributors ?? [])];
    const scopeWords = createScopeWords(claimContributors);
    const signInLinks = createSignInLinkService({
      repo: createSignInLinkRepository(db.prisma),
      tokens: linkTokens(keys.cookieKeys),
      clock,
      issuer: config.issuer,
      events,
      confirmations,
      mail,
      accounts: createConfirmedAddressAccounts({ repo, emails, events }),
    });
    const clientAuthThrottle = createClientAuthThrottle(throttle, config.throttle.clientAuth);
    const clientAuth = clientAuthGuard(clientAuthThrottle);
    const clients = createClientCache({ ttlMs: clientCacheTtlMs });
    await db.listen(clientChangesChannel, clients.forget);
    const adapter = createAdapterFactory(db.prisma, clock, atRestKeys, clients.forget);
    const provider = createProvider(config.issuer, {
      keys,
      adapter,
      resourceServer: resourceServerLookup(db.prisma),
      accounts,
      policy: {
        accounts, terms, organisations, plans: billing.service, clock,
        signInLinkAccount: (ctx, clientId) => signInLinks.readyAccount(clientId, ctx.cookies.get(flowCookieName(clientId))),
      },
      secureCookies: config.issuer.startsWith("https://"),
      claimContributors,
      log,
      trustProxy: config.trustProxy,
      allowImplicitOnLocalhost: config.env !== "production",
    });
    clients.attach(provider, clientAuth.beforeLookup);
    clientAuth.attach(provider);
    recordSignIns(provider, { organisations, clock, log });
    recordSignOuts(provider, { prisma: db.prisma, events, log });
    const signedIn = providerSession(provider, accountClient(config.issuer));
    const edge = createEdge({ issuer: config.issuer, clientAuthLimiter: clientAuthThrottle });
    mountHealthRoutes(edge, async () => {
      await db.sql.query("SELECT 1");
    });
    const wallet = createWalletService({
      repo: walletRepo, accounts, events, clock, issuer: config.issuer, settings: config.wallet, checkSignature: signatureCheck(config.wallet.rpcUrl),
    });
    const applications = connectedApplications(db.prisma, clock, events);
    mountInteractionRoutes(edge, {
      provider, accounts, emails, terms, organisations, billing: billing.service, clock, scopeWords, applications,
      resourceServerName: resourceServerNames(db.prisma),
      mailThrottle,
      expiredSignIns: expiredSignIns(provider, adapter),
      loginMethods: [
        signInLinkLogin({ service: signInLinks }),
        passwordLogin({ accounts, registrations, mailThrottle, signInThrottle, knownBrowsers }),
        ...(config.wallet.enabled ? [walletLogin({ wallet, walletThrottle: createWalletThrottle(throttle, config.throttle.wallet), mailThrottle })] : []),
        ...(options.loginMethods ?? []),
      ],
    });
    const linkClients: LinkClients = async (clientId) => {
      const client = await provider.Client.find(clientId);
      return client && { id: client.clientId, name: client.clientName ?? client.clientId, initiateLoginUri: client.initiateLoginUri };
    };
    const signInLinkPages = {
      service: signInLinks,
      clients: linkClients,
      issuer: config.issuer,
      accounts,
      terms,
      rename: (accountId: string, name: string) => db.prisma.$transaction((tx) => writeName(tx, accountId, name.trim())),
      mailThrottle,
      secureCookies: config.issuer.startsWith("https://"),
    };
    mountSignInLinkApi(edge, { forClients: forClients(provider), service: signInLinks, throttle: createSignInLinkThrottle(throttle, config.throttle.signInLink) });
    mountSignInLinkPages(edge, signInLinkPages);
    mountConfirmationRoutes(edge, confirmations, [
      signInLinkConfirmationHandler(signInLinkPages),
      ...emailConfirmationHandlers({
        confirmations,
        emails,
        repo,
        mailThrottle,
        resumeSignIn: async (ctx, accountId, uid) => resumeSignIn(ctx, await waitingInteractionUid({ provider, prisma: db.prisma, clock }, ctx, accountId, uid)),
      }),
      signUpHandler({ registrations, browser: registeringBrowser, continueSignIn: continueRegisteredSignIn(provider) }),
      passwordResetHandler({ passwordReset, repo, session: signedIn, mailThrottle, knownBrowsers }),
    ]);
    mountPasswordRoutes(edge, passwordReset, mailThrottle);
    mountAccountRoutes(edge, {
      accounts,
      emails,
      session: signedIn,
      profile: createProfileService({
        repo,
        profiles: createProfileRepository(db.prisma),
        confirmations,
        writeName,
        events,
        connectedClients: async (tx, accountId) => (await push.recipients(accountId, clock.now(), tx, { pushOnly: false })).map((recipient) => recipient.clientId),
        deleteProviderRecords: deleteAccountRecords,
      }),
      organisations,
      applications,
      sessions: accountSessions(db.prisma, clock, events),
      activity: securityActivity(createAuditRepository(db.prisma), config.audit.retentionDays),
      scopeWords,
      clock,
      panels: config.wallet.enabled ? [walletAccountPanel(edge, { wallet, session: signedIn })] : [],
      mailThrottle,
      flash: createFlash(keys.cookieKeys, { secure: config.issuer.startsWith("https://") }),
      passwordChange: createPasswordChange({ repo, passwords, events, revokeAccess: revokeAccountAccess }),
      passwordLength: passwords.length,
      signInThrottle,
    });
    mountBillingRoutes(edge, { billing: billing.service, session: signedIn });
    if (billing.stripe && billing.webhookSecret) mountStripeWebhook(edge, { stripe: billing.stripe, webhookSecret: billing.webhookSecret, billing: billing.service, repo: billing.repo, clock });
    if (config.mail.transport.kind === "outbox") mountOutboxRoutes(edge, config.mail.transport.dir);
    mountHomeRoutes(edge, {
      brandName: config.brand.name,
      session: signedIn,
      accounts,
      tryIt: config.demoClient.enabled ? { label: "Sign in to the demo client", href: demoAuthorizeUrl(config.issuer) } : undefined,
    });
    if (config.demoClient.enabled) mountDemoRoutes(edge, { issuer: config.issuer, secret: config.demoClient.secret });
    mountSsfRoutes(edge, { streams: createStreamService({ repo: push, jobs, prisma: db.prisma, clock, issuer: config.issuer, production }), bearer: clientCredentialsBearer(provider) });
    options.mount?.(edge, provider);
    const app = createApp({ provider, routes: edge.middleware(), log, issuer: config.issuer, trustProxy: config.trustProxy, hsts: production, brand: await loadBrandAssets(config.brand) });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's callback settles every request itself (ctx.onerror) and never rejects.
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, resolve);
    });
    await jobs.start();
    const { port } = server.address() as AddressInfo;
    const admin = await startAdminApi({ config, database: db, clock, log }).catch((error: unknown) => {
      // Tessera serves without it; the CLI then opens the database itself, as before.
      log.warn({ reason: error instanceof Error ? error.message : String(error) }, "admin socket not opened: the CLI cannot reach this Tessera");
      return undefined as AdminApi | undefined;
    });

    return {
      url: `http://localhost:${port}`,
      db,
      jobs,
      async close() {
        await admin?.close();
        await jobs.stop();
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
