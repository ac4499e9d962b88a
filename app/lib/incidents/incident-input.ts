/** Incidents: what a user (or a signed link) may send. Isomorphic. */
import { z } from "zod";

export const IncidentId = z.object({ id: z.string().trim().min(1, "id is required").max(64, "Unknown incident") });

/**
 * The signed "Acknowledge" link of an alert email: the incident, the channel it was mailed
 * to, when it expires (Unix seconds; absent in links mailed before expiries), the signature.
 */
export const AcknowledgeLinkInput = IncidentId.extend({
  channel: z.string().trim().min(1, "The link is incomplete").max(64, "The link is not valid"),
  exp: z
    .number({ error: "The link is not valid" })
    .int("The link is not valid")
    .min(0, "The link is not valid")
    .max(2 ** 40, "The link is not valid")
    .optional(),
  sig: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{43}$/, "The link is not valid"),
});
