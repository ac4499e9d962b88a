/** What a heartbeat ping may carry (the push URL's query string), validated like any input. */
import { z } from "zod";

export const PushPingInput = z.object({
  token: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, "Not a push token"),
  /** `?status=down` reports a failure; anything else (or nothing) is a success. */
  status: z
    .enum(["up", "down"], { error: "status is up or down" })
    .optional()
    .transform((status) => status === "down"),
  msg: z.string().max(2_000, "msg is at most 2,000 characters").optional(),
});
