import { z } from "zod";
import { connectionSettingsFromUrl } from "../../prisma/engine/connection.mjs";
import { StartupError } from "./errors.server.ts";

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`);

const databaseUrl = z
  .string()
  .trim()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      connectionSettingsFromUrl(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

/** Every environment variable the app reads. Documented in README.md and .env.example. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: port("PORT").default(3000),
  DATABASE_URL: databaseUrl.optional(),
  DATA_DIR: z.string().trim().min(1).default(".data"),
  EMBEDDED_POSTGRES_PORT: port("EMBEDDED_POSTGRES_PORT").default(0),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

/**
 * Validates the environment once, at boot. A bad value stops the process with one line
 * naming the variable, e.g. `DATABASE_URL is not a URL (…)`.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
  throw new StartupError(`Invalid configuration: ${problems.join("; ")}. See README.md, "Configuration".`);
}
