/**
 * The modules `npm run test:mutation` measures (issue 26): where a silent bug costs the
 * most. Each names the code Stryker mutates and the test files that guard it. Only those
 * test files run against its mutants, so a module's score says how well *its own* tests
 * protect it (a mutant only some unrelated test would notice counts as survived), and a
 * run stays affordable on two cores: every mutant of code that runs while a file loads (a
 * zod schema, a constant) is a "static" mutant, which Stryker can only test by running
 * the module's whole test list.
 *
 * `mutate` entries are files or globs (Stryker's syntax); `functions` picks named
 * functions out of a larger file (the ownership helpers live beside the services they
 * guard), found by parsing the file at run time so line numbers never go stale.
 * Order: cheapest and most security-relevant first, so a partial run says the most.
 */
export interface MutationModule {
  name: string;
  /** What it guards, for the table in docs/testing.md. */
  what: string;
  mutate: string[];
  functions?: { file: string; names: RegExp }[];
  tests: string[];
}

export const MODULES: MutationModule[] = [
  {
    name: "target-policy",
    what: "which addresses monitors, webhooks and checks may reach (SSRF), on the resolved IP",
    mutate: ["core/net/target-policy.ts", "core/net/target-resolver.ts"],
    tests: [
      "tests/unit/target-policy.test.ts",
      "tests/unit/target-resolver.test.ts",
      "tests/integration/ssrf.test.ts",
      // The real DNS path (createTargetResolver, resolveAddresses) against DNS servers on
      // 127.0.0.1 that answer, fail or stay silent; outcomes only, no timings.
      "tests/integration/target-resolver.test.ts",
      "tests/integration/dns-stall.test.ts",
    ],
  },
  {
    name: "private-pages",
    what: "who may open a private status page (password, access cookie, lock)",
    mutate: ["app/server/services/status-pages/page-access.server.ts", "app/lib/status-pages/page-access-cookie.ts"],
    tests: ["tests/integration/private-pages.test.ts"],
  },
  {
    name: "ownership",
    what: "the request scope (tRPC procedures, callers) and every owner check (services/ownership, once per request)",
    mutate: ["app/trpc/init.server.ts", "app/trpc/caller.server.ts", "app/server/services/ownership.server.ts"],
    functions: [{ file: "app/server/services/monitors/write-monitor.server.ts", names: /^owned/ }],
    tests: [
      "tests/integration/ownership-once.test.ts",
      "tests/integration/isolation.test.ts",
      "tests/integration/session-lookups.test.ts",
      "tests/integration/api-errors.test.ts",
      // Where the scope sends reads: a replica's stand-in, an owner's fresh writes.
      "tests/integration/request-scope.test.ts",
    ],
  },
  {
    name: "rate-limits",
    what: "rate limits (sign-in, sign-up, resets, subscriptions, unlocks, pushes), body size, quotas",
    mutate: [
      "app/server/services/process/rate-limits.server.ts",
      "app/host/request-limits.server.ts",
      "app/server/services/quotas.server.ts",
    ],
    functions: [{ file: "app/server/services/monitors/heartbeat-pings.server.ts", names: /^recordPing$/ }],
    tests: [
      "tests/integration/security.test.ts",
      "tests/integration/accounts.test.ts",
      "tests/integration/heartbeat-monitor.test.ts",
    ],
  },
  {
    name: "outbox",
    what: "alerts exactly once: enqueue in the incident's transaction, claim, retry, acknowledge links",
    mutate: [
      "core/outbox/enqueue.ts",
      "core/outbox/events.ts",
      "core/outbox/acknowledge-link.ts",
      "workers/notifications/outbox-sender.ts",
      "workers/notifications/reminders.ts",
      // Their statements (core/db/queries/, decisions/008).
      "core/db/queries/outbox.ts",
      "core/db/queries/instance-secrets.ts",
    ],
    tests: [
      "tests/unit/alert-events.test.ts",
      "tests/unit/acknowledge-link.test.ts",
      "tests/integration/alerts.test.ts",
      "tests/integration/alerts-reliability.test.ts",
      "tests/integration/alerts-fairness.test.ts",
      "tests/integration/incident-acknowledge.test.ts",
    ],
  },
  {
    name: "domain",
    what: "core/domain's pure rules: transitions, schedules, assertions, status codes, recurrence",
    mutate: [
      "core/domain/*.ts",
      "!core/domain/uptime.ts",
      "!core/domain/monitor-summary.ts",
      "!core/domain/rollups.ts",
    ],
    tests: [
      "tests/unit/transitions.test.ts",
      "tests/unit/schedule.test.ts",
      "tests/unit/recurrence.test.ts",
      "tests/unit/status-codes.test.ts",
      "tests/unit/compact-result.test.ts",
      "tests/integration/http-assertions.test.ts",
      "tests/integration/http-check.test.ts",
      "tests/integration/heartbeat-monitor.test.ts",
      "tests/integration/dns-monitor.test.ts",
      "tests/integration/tls-monitor.test.ts",
    ],
  },
  {
    name: "uptime",
    what: "uptime and summary math: windows, rollups, the dashboard's per-monitor summary",
    mutate: [
      "core/domain/uptime.ts",
      "core/domain/monitor-summary.ts",
      "core/domain/rollups.ts",
      "app/server/services/monitors/uptime.server.ts",
    ],
    tests: [
      "tests/unit/uptime.test.ts",
      "tests/unit/monitor-summary.test.ts",
      "tests/unit/rollups.test.ts",
      "tests/unit/format.test.ts",
      "tests/integration/uptime.test.ts",
    ],
  },
  {
    name: "public-pages",
    what: "status-page caches and custom-domain routing",
    mutate: [
      "app/host/public-cache.server.ts",
      "app/host/custom-domains.server.ts",
      "app/server/services/process/caches.server.ts",
      "app/server/services/process/promise-cache.server.ts",
    ],
    tests: [
      "tests/unit/public-cache.test.ts",
      "tests/unit/status-pages.test.ts",
      "tests/integration/status-pages.test.ts",
    ],
  },
  {
    name: "results",
    what: "the results writer's plan (pure) and store: incidents, rollups, summaries in one transaction",
    mutate: [
      "workers/results/plan.ts",
      "workers/results/store.ts",
      // Their statements (core/db/queries/, decisions/008).
      "core/db/queries/results.ts",
      "core/db/queries/summaries.ts",
    ],
    tests: [
      "tests/unit/plan.test.ts",
      // The store on batches written directly: stored fields, order, repeats, deleted
      // monitors, thresholds across batches, leases, maintenance, the dashboards' notice.
      "tests/integration/results-store.test.ts",
      "tests/integration/uptime.test.ts",
      "tests/integration/engine-incidents.test.ts",
      "tests/integration/engine-poison.test.ts",
      "tests/integration/dashboard.test.ts",
    ],
  },
  {
    name: "delivery",
    what: "sending one alert: channel requests, signatures, rendered messages",
    mutate: [
      "workers/notifications/send.ts",
      "workers/notifications/signature.ts",
      "core/outbox/render-services.ts",
      "core/outbox/channel-types.ts",
    ],
    tests: [
      "tests/unit/alert-renderers.test.ts",
      "tests/unit/alert-events.test.ts",
      "tests/integration/alert-channels.test.ts",
      "tests/integration/alerts.test.ts",
    ],
  },
  {
    name: "inputs",
    what: "the input schemas (app/lib/**/*-input.ts, the monitor types' in core/monitor-types/): limits, formats, field errors",
    mutate: [
      "app/lib/**/*-input.ts",
      "core/monitor-types/settings.ts",
      // Each type's schema and what it stores, by type (the probe requests are the engine's: domain tests).
      "core/monitor-types/{http,tcp,tls,dns,heartbeat,socket-target,registry}.ts",
    ],
    tests: [
      "tests/unit/monitor-form.test.ts",
      "tests/unit/status-pages.test.ts",
      "tests/unit/alert-renderers.test.ts",
      "tests/integration/monitor-router.test.ts",
      "tests/integration/api-errors.test.ts",
      "tests/integration/accounts.test.ts",
      // Each monitor type made, changed and refused through the API.
      "tests/unit/monitor-defaults.test.ts",
      "tests/integration/tcp-monitor.test.ts",
      "tests/integration/tls-monitor.test.ts",
      "tests/integration/dns-monitor.test.ts",
      "tests/integration/heartbeat-monitor.test.ts",
    ],
  },
];
