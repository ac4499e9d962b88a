/**
 * tRPC setup, in three parts: 1. context, 2. initialisation (error shape),
 * 3. procedures. Routers live in ./routers, one per domain.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import type { AppContext } from "~/server/context.server.ts";

// 1. Context ---------------------------------------------------------------------------

export interface SessionUser {
  id: string;
  email: string;
}

export interface TrpcContext extends AppContext {
  /** The signed-in user, or null for anonymous callers. */
  user: SessionUser | null;
  /** The incoming request, when there is one (not for scripts calling createCaller). */
  request: Request | null;
}

// 2. Initialisation ----------------------------------------------------------------------

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // Never echo internals (SQL, stack traces) to callers.
      message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // Which field is wrong and why, for forms and API clients.
        fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures --------------------------------------------------------------------------

export const publicProcedure = t.procedure;

/** Requires a signed-in user; narrows `ctx.user` to non-null. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
