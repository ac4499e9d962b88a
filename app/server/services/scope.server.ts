/**
 * Every service is called the same way: `service(scope, input)`. The scope is what the
 * process built once at boot (the store, the clients, the caches) plus who is asking;
 * tRPC builds it once per request, and `protectedProcedure` adds the owner.
 */
import type { Db } from "../../../core/db/client.ts";
import type { ReadRouting } from "../../../core/db/read-routing.ts";
import type { Env } from "../../../core/env.ts";
import type { Logger } from "../../../core/logger.ts";
import type { DomainResolver } from "../../../core/net/domain-resolver.ts";
import type { Resolver } from "../../../core/net/target-policy.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import type { PasswordWork } from "./process/password-work.server.ts";
import type { RateLimits } from "./process/rate-limits.server.ts";
import type { Caches } from "./process/caches.server.ts";
import type { Ownership } from "./ownership.server.ts";

/** For services anyone may call (sign-up, public pages, subscriptions). */
export interface Scope {
  db: Db;
  env: Env;
  logger: Logger;
  /** DNS for the target policy (monitored URLs); injected so tests never use real DNS. */
  resolve: Resolver;
  /** DNS for custom-domain verification (DNS_SERVERS); tests run their own server. */
  dns: DomainResolver;
  mailer: Mailer;
  rateLimits: RateLimits;
  /** Argon2 hashing and verifying, in bounded lanes (one set per process). */
  passwords: PasswordWork;
  /** Built once by the composition root and shared by every request of the process. */
  caches: Caches;
  /** Who is asking, for rate limits. */
  clientIp: string;
  /** Where reads that may lag a little go (a replica, when there is one). */
  reads: ReadRouting;
  /**
   * Runs a read that may lag a little (public pages, dashboard lists): on the replica
   * when there is a usable one and this caller has not just written, else the primary.
   */
  read<T>(read: (db: Db) => Promise<T>): Promise<T>;
}

/** For owner-scoped services: everything they read or change belongs to `userId`. */
export interface OwnerScope extends Scope {
  userId: string;
  /** The session cookie's token (null for API tokens), so "change password" can keep it. */
  sessionToken: string | null;
  /** Whether a monitor, page, channel or incident is the caller's: asked once per request. */
  own: Ownership;
}
