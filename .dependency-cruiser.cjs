/**
 * The room dependency rules of the design (shared/DESIGN.md "Dependencies point inwards",
 * and the dependency direction of the proposed layout), checked by `npm run lint`.
 *
 * Tiers, inside out:
 *   leaves          src/shared, src/config.ts (and src/generated, Prisma's output)
 *   db              src/db: the Prisma client factory, migrations; owns src/generated
 *   infrastructure  src/jobs, src/mail, src/confirmation: know no domain
 *   domain          accounts, orgs, clients, billing, push, signin-links, wallet, security, oidc
 *   edge            src/http, src/interactions, src/cli, src/demo
 *   composition     the modules at the top of src/ (server.ts, main.ts, background.ts,
 *                   schedules.ts) wire everything and are exempt from the direction rules:
 *                   the design names the composition root as the place where every room
 *                   meets. No room imports them (the CLI, the other entry point, may).
 * One exception, narrow and deliberate: src/http/edge/index.ts, the HTTP edge by audience
 * (pages, JSON APIs, webhooks). Issue 8 has each room mount its own routes on it, and the
 * design puts it in http/; so rooms with routes (domain rooms, mail's outbox,
 * confirmation's /confirm page, the edge rooms) may import that one file, and the kit
 * itself may import only shared/ and config, so it can never pull a room back in.
 * Everything else in http/ (app assembly, middleware, views) stays unimportable.
 * A rule never forbids what an inner tier needs from a further-in one; each rule says
 * which direction it keeps.
 */
const leaf = "^src/config\\.ts$";
// The wiring at the top of src/: server.ts, main.ts, background.ts, schedules.ts. config.ts
// matches too, harmlessly: config-is-a-leaf forbids it any import in src/.
const composition = "^src/[^/]+\\.ts$";
const edge = "^src/(http|interactions|cli|demo)/";
const edgeKit = "^src/http/edge/index\\.ts$";

/** Everything in src/ outside the given rooms (regex alternatives), the config leaf and any `also`. */
const outside = (rooms, also = []) => ({ path: "^src/", pathNot: [`^src/${rooms}/`, leaf, ...also] });

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles hide the direction of a dependency and break module start-up order.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "rooms-meet-through-index",
      severity: "error",
      comment:
        "A room's public surface is its index.ts; other rooms never import a deep path " +
        "(the composition root, which is not inside a room, is not held to this).",
      from: { path: "^src/([^/]+)/" },
      to: { path: "^src/[^/]+/", pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$", "^src/generated/", edgeKit] },
    },
    {
      name: "shared-is-a-leaf",
      severity: "error",
      comment: "shared/ holds leaf utilities (errors, log, clock, events): it imports nothing else in src.",
      from: { path: "^src/shared/" },
      to: { path: "^src/", pathNot: "^src/shared/" },
    },
    {
      name: "config-is-a-leaf",
      severity: "error",
      comment: "config.ts parses the environment once; it imports nothing else in src.",
      from: { path: leaf },
      to: { path: "^src/" },
    },
    {
      name: "db-uses-only-shared-and-config",
      severity: "error",
      comment: "db/ is the Prisma client factory and migrations: it imports only shared, config and Prisma's generated client.",
      from: { path: "^src/db/" },
      to: outside("(db|generated|shared)"),
    },
    {
      name: "generated-client-only-through-db",
      severity: "error",
      comment: "Prisma's generated client belongs to db/: other rooms take its types from db/index.ts.",
      from: { path: "^src/", pathNot: "^src/(db|generated)/" },
      to: { path: "^src/generated/" },
    },
    {
      name: "jobs-knows-no-domain",
      severity: "error",
      comment: "The job runner is infrastructure the domain rooms use: it imports only db, shared and config.",
      from: { path: "^src/jobs/" },
      to: outside("(jobs|db|generated|shared)"),
    },
    {
      name: "mail-is-domain-agnostic",
      severity: "error",
      comment: "mail/ is transport and templates delivered through jobs/: it imports only jobs, db, shared and config.",
      from: { path: "^src/mail/" },
      to: outside("(mail|jobs|db|generated|shared)", [edgeKit]),
    },
    {
      name: "confirmation-is-domain-agnostic",
      severity: "error",
      comment:
        "Confirmation links know no domain: each domain registers its own intents and handlers, " +
        "so confirmation/ imports only infrastructure (jobs, mail, db, shared, config).",
      from: { path: "^src/confirmation/" },
      to: outside("(confirmation|mail|jobs|db|generated|shared)", [edgeKit]),
    },
    {
      name: "nothing-imports-http",
      severity: "error",
      comment:
        "http/ is the outermost edge: only the composition root imports it. The one door in " +
        "is src/http/edge/index.ts, the edge kit rooms mount their routes on; app assembly, " +
        "middleware and views stay private to http/.",
      from: { path: "^src/", pathNot: ["^src/http/", composition] },
      to: { path: "^src/http/", pathNot: edgeKit },
    },
    {
      name: "inner-rooms-do-not-import-the-edge",
      severity: "error",
      comment:
        "Dependencies point inwards: the edge (http, interactions, cli, demo) uses the domain " +
        "and infrastructure rooms, never the other way round.",
      from: { path: "^src/", pathNot: [edge, composition] },
      to: { path: edge, pathNot: edgeKit },
    },
    {
      name: "http-edge-kit-is-a-leaf",
      severity: "error",
      comment:
        "The HTTP edge kit (src/http/edge/) is imported by every room that has routes, so it " +
        "imports only shared/ and config: anything more would tie those rooms together.",
      from: { path: "^src/http/edge/" },
      to: outside("(http/edge|shared)"),
    },
    {
      name: "rooms-do-not-import-the-wiring",
      severity: "error",
      comment:
        "Modules at the top of src/ besides config.ts (server, main, background, schedules) " +
        "wire rooms together; a room never imports them. The CLI, the other entry point, may.",
      from: { path: "^src/[^/]+/", pathNot: "^src/cli/" },
      to: { path: "^src/[^/]+\\.ts$", pathNot: leaf },
    },
    {
      name: "nothing-imports-the-cli",
      severity: "error",
      comment: "cli/ is an entry point of its own: no other room imports it.",
      from: { path: "^src/", pathNot: ["^src/cli/", composition] },
      to: { path: "^src/cli/" },
    },
    {
      name: "composition-meets-the-cli-at-its-admin-api",
      severity: "error",
      comment:
        "The composition root starts the admin API (the CLI's end inside a running Tessera, " +
        "src/cli/admin-api-server.ts) and reaches into cli/ for nothing else.",
      from: { path: composition },
      to: { path: "^src/cli/", pathNot: "^src/cli/admin-api-server\\.ts$" },
    },
    {
      name: "interactions-only-from-http",
      severity: "error",
      comment: "The interaction pages are mounted by the http edge and wired by the composition root; no other room imports them.",
      from: { path: "^src/", pathNot: ["^src/(interactions|http)/", composition] },
      to: { path: "^src/interactions/" },
    },
    {
      name: "domain-never-imports-push",
      severity: "error",
      comment:
        "push/ subscribes to the typed domain events in shared/; domain code records events " +
        "and never calls push. Only the edge (http, cli) and the composition root import it.",
      from: { path: "^src/", pathNot: ["^src/(push|http|cli)/", composition] },
      to: { path: "^src/push/" },
    },
    {
      name: "oidc-sits-above-accounts-orgs-clients-billing",
      severity: "error",
      comment: "oidc/ reads accounts, organisations, client settings and plans (claims, policy, metadata); those rooms never import oidc.",
      from: { path: "^src/(accounts|orgs|clients|billing)/" },
      to: { path: "^src/oidc/" },
    },
    {
      name: "accounts-below-the-other-domain-rooms",
      severity: "error",
      comment: "Organisations, plans, wallets, sign-in links and push build on accounts; accounts imports none of them.",
      from: { path: "^src/accounts/" },
      to: { path: "^src/(orgs|clients|billing|wallet|signin-links|push)/" },
    },
    {
      name: "src-does-not-import-tests-or-scripts",
      severity: "error",
      comment:
        "Production code never reaches into test/, scripts/ or bench/. The one exception is the " +
        "`tessera` executable (src/cli/bin.mjs), which runs the Prisma client check that `npm " +
        "start` runs (scripts/prisma-generate.mjs) in its own process before anything else " +
        "(next rule).",
      from: { path: "^src/", pathNot: ["\\.test\\.ts$", "^src/cli/bin\\.mjs$"] },
      to: { path: "^(test|scripts|bench)/" },
    },
    {
      name: "the-executable-reaches-only-the-client-check",
      severity: "error",
      comment: "src/cli/bin.mjs may run scripts/prisma-generate.mjs and nothing else outside src/.",
      from: { path: "^src/cli/bin\\.mjs$" },
      to: { path: "^(test|scripts|bench)/", pathNot: "^scripts/prisma-generate\\.mjs$" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that does not resolve is a typo or a missing dependency.",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
    {
      name: "no-non-package-json",
      severity: "error",
      comment: "Production code imports only packages package.json names (not ones that merely happen to be installed).",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "not-to-dev-dep",
      severity: "error",
      comment: "Production code must not need a devDependency at run time (npm install --omit=dev would break it).",
      from: { path: "^src/", pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^src/generated/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
    skipAnalysisNotInRules: true,
  },
};
