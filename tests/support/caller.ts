import type { AppLoadContext } from "@remix-run/node";
import { createCallerFactory } from "../../app/trpc/init.server.ts";
import { appRouter } from "../../app/trpc/root.server.ts";
import type { Db } from "../../core/db/client.ts";
import { loadEnv } from "../../core/env.ts";
import { createLogger } from "../../core/logger.ts";
import type { Mailer } from "../../app/server/mail/mailer.server.ts";
import type { DomainResolver } from "../../core/net/domain-resolver.ts";
import type { Resolver } from "../../core/net/target-policy.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { createCaches, type Caches } from "../../app/server/services/process/caches.server.ts";
import type { OwnerScope, Scope } from "../../app/server/services/scope.server.ts";
import { primaryOnly, type ReadRouting } from "../../core/db/read-routing.ts";
import type { RateLimits } from "../../app/server/services/process/rate-limits.server.ts";
import { createPasswordWork, type PasswordWork } from "../../app/server/services/process/password-work.server.ts";
import { memoryMailer } from "./mailbox.ts";
import { ownershipOf } from "../../app/server/services/ownership.server.ts";

/** Tests never use real DNS: names resolve only through this table. */
export function fakeResolver(table: Record<string, string[]> = {}): Resolver {
  return (host) => Promise.resolve(table[host] ?? []);
}

/** Tests never use real DNS: custom domains verify only against a server the test runs. */
export const noDns: DomainResolver = {
  resolveTxt: () => Promise.reject(Object.assign(new Error("no DNS in tests"), { code: "ENOTFOUND" })),
};

/** For tests that are not about rate limits. */
export const noRateLimits: RateLimits = { consume: () => Promise.resolve(), refund: () => Promise.resolve() };

export interface TestContextOptions {
  resolve?: Resolver;
  dns?: DomainResolver;
  mailer?: Mailer;
  rateLimits?: RateLimits;
  /** Argon2 lanes (default: one set for every test of the file, as one process has). */
  passwords?: PasswordWork;
  clientIp?: string;
  /** A process's caches (default: one set for every test of the file). */
  caches?: Caches;
  /** Where lagging reads go (default: the test database itself). */
  reads?: ReadRouting;
  /** Extra environment variables (as strings, validated like the real ones). */
  env?: Record<string, string>;
}

/** One set of argon2 lanes, as one process has; its warnings go nowhere. */
export const sharedPasswords = createPasswordWork({ logger: createLogger("silent") });

/** One set of caches, as one process has (services invalidate what routes then read). */
export const sharedCaches = createCaches();

/** The per-request context a route would get, on the given database. Loopback targets allowed. */
export function testContext(db: Db, options: TestContextOptions = {}): AppLoadContext & Pick<Scope, "read"> {
  const reads = options.reads ?? primaryOnly(db);
  return {
    db,
    env: loadEnv({ NODE_ENV: "test", APP_URL: "http://127.0.0.1:3000", ...options.env }),
    logger: createLogger("silent"),
    resolve: options.resolve ?? fakeResolver(),
    dns: options.dns ?? noDns,
    mailer: options.mailer ?? memoryMailer(),
    rateLimits: options.rateLimits ?? noRateLimits,
    passwords: options.passwords ?? sharedPasswords,
    caches: options.caches ?? sharedCaches,
    reads,
    read: (read) => reads.read(false, read),
    liveness: () => undefined,
    clientIp: options.clientIp ?? "127.0.0.1",
    cspNonce: "test-nonce",
  };
}

/** A tRPC caller signed in as `user` (or anonymous). */
export function callerFor(
  db: Db,
  options: TestContextOptions & {
    user?: SessionUser;
    sessionToken?: string;
    lastWriteAt?: Date;
    /** How the user signed in (default: a session, as a route's caller). */
    via?: "session" | "api-token";
  } = {},
) {
  return createCallerFactory(appRouter)({
    ...testContext(db, options),
    user: options.user ?? null,
    sessionToken: options.sessionToken ?? null,
    via: options.user ? (options.via ?? "session") : null,
    lastWriteAt: options.lastWriteAt ?? null,
    request: null,
    // As a route's own caller: internal procedures (starting sessions) are reachable.
    internal: true,
    // A test's caller lives longer than one request: each read sees the present.
    ownership: null,
  });
}

/** What an owner-scoped service is called with, for tests that call services directly. */
export function ownerScope(db: Db, userId: string, options: TestContextOptions = {}): OwnerScope {
  return { ...testContext(db, options), userId, sessionToken: null, own: ownershipOf(userId, (read) => read(db)) };
}
