import { redirect } from "@remix-run/node";
import { formToMonitorInput } from "~/lib/monitors/form-fields.ts";
import type { MonitorFormValues } from "~/components/monitors/monitor-form.tsx";
import { ValidationError } from "../services/errors.server.ts";
import { actionError, formFields } from "./action-result.server.ts";

/** What the form shows after a failed submit: what the user typed. */
export function submittedValues(
  input: ReturnType<typeof formToMonitorInput>,
  fallback: MonitorFormValues,
): MonitorFormValues {
  const typed = Object.fromEntries(
    Object.entries(input).filter(
      ([key, value]) => value !== undefined && !["headersError", "host", "port", "tls"].includes(key),
    ),
  );
  if (input.type !== "TCP") return { ...fallback, ...typed };
  const port = Number.isFinite(input.port) ? input.port : null;
  return { ...fallback, ...typed, type: "TCP", tcp: { host: input.host, port, tls: input.tls ?? false } };
}

/**
 * Runs a create or update from the monitor form: header lines are checked here, the rest
 * by the API; errors come back with the submitted values so nothing typed is lost.
 */
export async function saveMonitorForm(
  request: Request,
  fallback: MonitorFormValues,
  save: (input: ReturnType<typeof formToMonitorInput>) => Promise<{ id: string }>,
) {
  const form = await request.formData();
  const channelIds = form.getAll("channelIds").filter((value): value is string => typeof value === "string");
  const input = formToMonitorInput(formFields(form), channelIds);
  const values = submittedValues(input, fallback);
  if (input.headersError) return actionError(new ValidationError({ headers: [input.headersError] }), { values });
  try {
    const { headersError: _none, ...apiInput } = input;
    const saved = await save(apiInput);
    return redirect(`/monitors/${saved.id}`);
  } catch (error) {
    return actionError(error, { values });
  }
}
