/**
 * The monitor form's fields ↔ the API's input. Field names are the settings' names, so
 * the API's field errors land on the right inputs; each type reads its own fields
 * (its module's `fromForm`, core/monitor-types/).
 */
import type { MonitorType } from "../../../core/db/generated/enums.ts";
import { SHARED_DEFAULTS } from "../../../core/domain/monitor-defaults.ts";
import type { CommonFormInput, FormReaders } from "../../../core/monitor-types/module.ts";
import {
  DEFAULT_TYPE,
  MONITOR_TYPES,
  monitorType,
  type CreateMonitorInput,
} from "../../../core/monitor-types/registry.ts";

const read: FormReaders = {
  number: (value) => (value === undefined || value.trim() === "" ? undefined : Number(value)),
  text: (value) => (value === undefined || value.trim() === "" ? null : value),
};

/** What the API gets from the form: one type's input. */
export type MonitorApiInput = CreateMonitorInput;

/** What the form sends: the API's input, and errors in what the form itself parses (header and assertion lines). */
export type MonitorFormInput = MonitorApiInput & { parseErrors?: Record<string, string[]> };

/** The type the form names (HTTP when it names none, or one that does not exist). */
export function formType(fields: Record<string, string>): MonitorType {
  return MONITOR_TYPES.find((type) => type === fields.type) ?? DEFAULT_TYPE;
}

/**
 * From submitted fields to the API's input; the API validates (and names bad fields).
 * `channelIds`: the ticked alert channels (all values of the checkbox group).
 */
export function formToMonitorInput(fields: Record<string, string>, channelIds?: string[]): MonitorFormInput {
  return monitorType(formType(fields)).fromForm(fields, commonFields(fields, channelIds), read) as MonitorFormInput;
}

/** The settings every type's form has (heartbeats use some of them). */
function commonFields(fields: Record<string, string>, channelIds?: string[]): CommonFormInput {
  return {
    name: fields.name ?? null,
    // Empty: the automatic timeout (null), as the form's placeholder says.
    timeoutMs:
      read.number(fields.timeoutSeconds) === undefined ? null : Math.round(read.number(fields.timeoutSeconds)! * 1000),
    intervalSeconds: read.number(fields.intervalSeconds),
    failureThreshold: read.number(fields.failureThreshold),
    recoveryThreshold: read.number(fields.recoveryThreshold),
    regions: (fields.regions ?? SHARED_DEFAULTS.regions.join(","))
      .split(",")
      .map((region) => region.trim())
      .filter(Boolean),
    downQuorum: read.number(fields.downQuorum),
    tags: (fields.tags ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    // The alert section was on the form: an empty tick list means "no channels".
    channelIds: fields.channelsShown === "yes" ? (channelIds ?? []) : undefined,
  };
}
