/**
 * tRPC setup, in three parts: 1. context, 2. initialisation (error shape),
 * 3. procedures. Routers live in ./routers, one per domain.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { fieldPathOf, MAX_INPUT_DEPTH, unstorableInputAt } from "../../core/text/storable.ts";
import { z, ZodError } from "zod";
import type { RequestContext } from "~/server/app-context.server.ts";
import type { SessionUser } from "~/server/services/auth/session-user.server.ts";
import type { LimitedAction } from "~/server/services/process/rate-limits.server.ts";
import type { OwnerScope, Scope } from "~/server/services/scope.server.ts";
import { ownershipOf, type OwnershipMemo } from "~/server/services/ownership.server.ts";
import { isServiceError, ValidationError, type ServiceErrorCode } from "~/server/services/errors.server.ts";
import { isDatabaseBusy } from "../../core/db/busy.ts";
import { retryAfterSeconds } from "~/trpc/retry-after.server.ts";

// 1. Context ---------------------------------------------------------------------------

export type { SessionUser };

export interface TrpcContext extends RequestContext {
  /** The signed-in user (session cookie or API token), or null for anonymous callers. */
  user: SessionUser | null;
  /** The session cookie's token, so "change password" can keep the current session. */
  sessionToken: string | null;
  /** How the user proved who they are: a session (browser) or an API token (script). */
  via: "session" | "api-token" | null;
  /** The signed-in user's last change (read-your-writes with a replica). */
  lastWriteAt: Date | null;
  /** The incoming request, when there is one. */
  request: Request | null;
  /**
   * True only for our own server's calls (a route's loader or action through its caller),
   * never for /api/trpc: internal procedures (starting a session) are not an API.
   */
  internal: boolean;
  /**
   * What this request's reads have already found the caller owns, shared by every
   * procedure it calls (services/ownership.server.ts); null for a caller that serves no
   * one request (a test's, a script's), whose reads must each see the present.
   */
  ownership: OwnershipMemo | null;
}

/** What public services are called with: the process's clients and who is asking. */
function scopeOf(ctx: TrpcContext, fresh = false): Scope {
  const { db, env, logger, resolve, dns, mailer, rateLimits, passwords, caches, clientIp, reads } = ctx;
  return {
    db,
    env,
    logger,
    resolve,
    dns,
    mailer,
    rateLimits,
    passwords,
    caches,
    clientIp,
    reads,
    read: (read) => reads.read(fresh, read),
  };
}

/** Whether the user wrote recently enough that a replica may not have their change yet. */
function wroteRecently(ctx: TrpcContext): boolean {
  return ctx.lastWriteAt !== null && Date.now() - ctx.lastWriteAt.getTime() < ctx.reads.freshForMs;
}

// 2. Initialisation ----------------------------------------------------------------------

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const fieldErrors =
      error.cause instanceof ZodError
        ? z.flattenError(error.cause).fieldErrors
        : isServiceError(error.cause, "INVALID")
          ? error.cause.fieldErrors
          : null;
    return {
      ...shape,
      // Never echo internals (SQL, stack traces) to callers.
      message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // Which field is wrong and why, for forms and API clients.
        fieldErrors,
        // When a spent rate limit opens again (also the answer's Retry-After header).
        retryAfterSeconds: retryAfterSeconds(error) ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures --------------------------------------------------------------------------

/** Each service error's tRPC code (and so its HTTP status). */
const TRPC_CODE: Record<ServiceErrorCode, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  INVALID: "BAD_REQUEST",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHORIZED",
};

/**
 * Service errors become tRPC errors here, and only here. By their code, not their class:
 * on the built server an error may come from the other bundle's copy of the class
 * (services/errors.server.ts).
 */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (isServiceError(cause)) throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  if (isDatabaseBusy(cause))
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The server is busy: try again in a few seconds.",
      cause,
    });
  return result;
});

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) and absurdly deep input are
 * refused at the door, naming the field — never a 500 from the database later.
 */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  const found = unstorableInputAt(await getRawInput());
  if (found !== null) {
    const field = fieldPathOf(found.path) || "input";
    throw new ValidationError({
      [field]: [
        found.problem === "depth"
          ? `Nested too deeply (objects and arrays may nest at most ${MAX_INPUT_DEPTH} levels).`
          : "Remove the control character (NUL) or broken character from this text.",
      ],
    });
  }
  return next();
});

/** Anyone may call these; services get `ctx.scope`. */
export const publicProcedure = t.procedure
  .use(mapServiceErrors)
  .use(refuseUnstorableText)
  .use(({ ctx, next }) => next({ ctx: { scope: scopeOf(ctx) } }));

/**
 * Requires a signed-in user: narrows `ctx.user` to non-null and makes `ctx.scope` the
 * owner's, once, so every owner-scoped service is called as `service(ctx.scope, input)`.
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const user = ctx.user;
  const base = scopeOf(ctx, wroteRecently(ctx));
  // Reads share the request's answers; a change checks the primary afresh, then makes
  // the request's later reads ask again (they must see it).
  const own =
    type === "mutation"
      ? ownershipOf(user.id, (read) => read(ctx.db))
      : ownershipOf(user.id, (read) => base.read(read), ctx.ownership ?? undefined);
  const scope: OwnerScope = { ...base, userId: user.id, sessionToken: ctx.sessionToken, own };
  const result = await next({ ctx: { user, scope } }).finally(() => {
    if (type === "mutation") ctx.ownership?.clear();
  });
  // With a replica, the writer's next reads go to the primary for a while (they must
  // see their own change); the mark is kept in the database, shared by every process.
  if (result.ok && type === "mutation" && ctx.reads.freshForMs > 0) {
    await ctx.db.user.updateMany({ where: { id: user.id }, data: { lastWriteAt: new Date() } });
  }
  return result;
});

/**
 * Only our own routes may call these (through their server-side caller), e.g. to start a
 * session after a login; over /api/trpc they do not exist.
 */
const internalOnly = t.middleware(({ ctx, next }) => {
  if (!ctx.internal) throw new TRPCError({ code: "NOT_FOUND", message: "No such procedure." });
  return next();
});

export const internalProcedure = publicProcedure.use(internalOnly);
export const internalOwnerProcedure = protectedProcedure.use(internalOnly);

/** Counts the call against the signed-in user's rate limit for `action` (`.use(rateLimited(…))`). */
export function rateLimited(action: LimitedAction) {
  return t.middleware(async ({ ctx, next }) => {
    await ctx.rateLimits.consume(action, { ip: ctx.clientIp, ...(ctx.user ? { user: ctx.user.id } : {}) });
    return next();
  });
}

export const SESSION_FIRST_MESSAGE =
  "Sign in to do this: an API token cannot create API tokens, only a signed-in session can.";

export const VERIFY_FIRST_MESSAGE =
  "Verify your email address first: until then an account cannot create API tokens or alert channels, connect sign-in methods or publish.";

/**
 * Requires a verified email address. Whoever signs up with someone else's address must
 * not be able to make anything that outlives the real owner's first verification or
 * password reset (account pre-hijacking): tokens, channels, connections, published pages.
 */
export const verifiedProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.emailVerified) throw new TRPCError({ code: "FORBIDDEN", message: VERIFY_FIRST_MESSAGE });
  return next();
});

/**
 * Requires a signed-in session, not an API token: a leaked token must not be able to mint
 * more tokens (which would outlive revoking it). Also verified, as `verifiedProcedure`.
 */
export const sessionProcedure = verifiedProcedure.use(({ ctx, next }) => {
  if (ctx.via !== "session") throw new TRPCError({ code: "FORBIDDEN", message: SESSION_FIRST_MESSAGE });
  return next();
});
