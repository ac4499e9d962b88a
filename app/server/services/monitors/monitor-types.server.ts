/**
 * What the services ask of a monitor's type (its module in core/monitor-types/): the
 * stored form of a new monitor, with a push token chosen here (randomness is the
 * server's), and what an update changes, with another type's settings refused.
 */
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { UpdateMonitorInput } from "~/lib/monitors/monitor-input.ts";
import type { Monitor } from "../../../../core/db/generated/client.ts";
import type { StoredForm, TypeColumns, TypePatch } from "../../../../core/monitor-types/module.ts";
import { foreignSettings, moduleOf, monitorType, type CreateMonitor } from "../../../../core/monitor-types/registry.ts";
import { ValidationError } from "../errors.server.ts";

type UpdateInput = z.output<typeof UpdateMonitorInput>;

/** A push URL's secret: 192 random bits, URL-safe. */
export function newPushToken(): string {
  return randomBytes(24).toString("base64url");
}

/** A new monitor's stored form, by its type. */
export function storedForm(input: CreateMonitor): StoredForm {
  return moduleOf(input).stored(input, { pushToken: newPushToken });
}

/** What an update changes in the type's own columns and target; refuses another type's settings. */
export function typePatch(existing: Monitor, input: UpdateInput): TypePatch {
  const errors = foreignSettings(existing.type, input);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return monitorType(existing.type).patch(existing, input);
}

/** Whether a changed column changes what the check does (so the monitor is checked again at once). */
export function changesCheck(existing: Monitor, columns: Partial<TypeColumns>): boolean {
  return Object.entries(columns).some(([key, value]) => existing[key as keyof Monitor] !== value);
}
