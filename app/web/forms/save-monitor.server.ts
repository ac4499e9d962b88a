import { redirect } from "@remix-run/node";
import { formToMonitorInput, type MonitorApiInput, type MonitorFormInput } from "~/lib/monitors/form-fields.ts";
import type { MonitorFormValues } from "~/components/monitors/types/form-values.ts";
import { ValidationError } from "../../server/services/errors.server.ts";
import { actionError, formFields } from "./action-result.server.ts";
import { readForm } from "./read-form.server.ts";
import { MONITOR_TYPES, moduleOf, monitorType } from "../../../core/monitor-types/registry.ts";

/** Input fields that are a type's own (its target), shown again through that type's value group (`formTargets`). */
const TARGET_FIELDS = new Set([
  "parseErrors",
  ...MONITOR_TYPES.flatMap((type) => Object.keys(monitorType(type).updateShape)),
]);

/** What the form shows after a failed submit: what the user typed. */
export function submittedValues(input: MonitorFormInput, fallback: MonitorFormValues): MonitorFormValues {
  const typed = Object.fromEntries(
    Object.entries(input).filter(([key, value]) => value !== undefined && !TARGET_FIELDS.has(key)),
  );
  const values = { ...fallback, ...typed };
  return { ...values, ...moduleOf(input).formTargets(input) };
}

/**
 * Runs a create or update from the monitor form: header and assertion lines are checked
 * here, the rest by the API; errors come back with the submitted values so nothing typed
 * is lost.
 */
export async function saveMonitorForm(
  request: Request,
  fallback: MonitorFormValues,
  save: (input: MonitorApiInput) => Promise<{ id: string }>,
) {
  const form = await readForm(request);
  const channelIds = form.getAll("channelIds").filter((value): value is string => typeof value === "string");
  const input = formToMonitorInput(formFields(form), channelIds);
  const values = submittedValues(input, fallback);
  if (input.parseErrors) return actionError(new ValidationError(input.parseErrors), { values });
  try {
    const { parseErrors: _none, ...apiInput } = input;
    const saved = await save(apiInput);
    return redirect(`/monitors/${saved.id}`);
  } catch (error) {
    return actionError(error, { values });
  }
}
