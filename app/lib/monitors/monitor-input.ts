/**
 * What the API takes to name monitors and page through their history; the settings and
 * each type's fields are core/monitor-types/ (settings.ts, one module per type).
 */
import { z } from "zod";
import { monitorUpdateShape } from "../../../core/monitor-types/registry.ts";
import { channelIds, requestedTimeout } from "../../../core/monitor-types/settings.ts";

export const MonitorId = z.object({ id: z.string().trim().min(1, "id is required").max(64, "Unknown monitor") });

/** Any type's settings, all optional; those of another type than the monitor's are refused by the service. */
export const UpdateMonitorInput = MonitorId.extend({
  ...monitorUpdateShape,
  timeoutMs: requestedTimeout,
  channelIds: channelIds.optional(),
});
export type UpdateMonitorInput = z.input<typeof UpdateMonitorInput>;

export const MonitorIds = z.object({
  ids: z.array(MonitorId.shape.id).min(1, "Select at least one monitor").max(500, "At most 500 monitors at once"),
});

export const RESPONSE_RANGES = ["1h", "24h", "7d", "30d"] as const;
export const ResponseTimesInput = MonitorId.extend({ range: z.enum(RESPONSE_RANGES).default("24h") });

/** Pages of incidents (cursor: an incident id) or checks (cursor: a check's numeric id). */
export const MonitorPageInput = MonitorId.extend({ cursor: z.string().max(64).optional() });
export const ChecksPageInput = MonitorId.extend({
  cursor: z
    .string()
    .regex(/^\d{1,15}\.\d{1,5}$/, "Invalid cursor")
    .optional(),
});
