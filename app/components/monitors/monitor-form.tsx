import { Form, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import { useState, type ReactNode } from "react";
import { Alert, Button, Field, SelectField } from "~/components/ui/form.tsx";
import { MONITOR_DEFAULTS } from "../../../core/domain/monitor-defaults.ts";
import { DEFAULT_TYPE, monitorType } from "../../../core/monitor-types/registry.ts";
import { automaticTimeoutMs, LIMITS } from "../../../core/monitor-types/settings.ts";
import type { FieldErrors, MonitorFormValues } from "./types/form-values.ts";
import { TYPE_FORMS } from "./types/index.ts";

export type ChannelOption = Pick<RouterOutputs["notification"]["list"][number], "id" | "name" | "type" | "isDefault">;

export const NEW_MONITOR_VALUES: MonitorFormValues = {
  ...MONITOR_DEFAULTS,
  timeoutMs: null,
  url: "",
  headers: [],
  assertions: [],
  regions: [...MONITOR_DEFAULTS.regions],
  tags: [],
};

const INTERVALS = [10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 43_200, 86_400];

function intervalLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  if (seconds < 3600) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
}

export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-4 rounded-lg border border-slate-200 p-5 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** Every monitor setting, with the API's field errors shown next to each input. */
export function MonitorForm({
  values,
  errors,
  formError,
  submitLabel,
  channels,
}: {
  values: MonitorFormValues;
  errors: FieldErrors;
  formError?: string | null;
  submitLabel: string;
  channels: ChannelOption[];
}) {
  const submitting = useNavigation().state === "submitting";
  const type = values.type ?? DEFAULT_TYPE;
  const typeForm = TYPE_FORMS[type];
  // Judged by pings (a heartbeat): no interval, timeout or regions of its own, and no answer to judge.
  const probed = monitorType(type).judgedBy === "probe";
  // The automatic timeout shown follows the chosen interval (the server applies the same rule).
  const [intervalSeconds, setIntervalSeconds] = useState(values.intervalSeconds);
  const intervals = INTERVALS.includes(values.intervalSeconds)
    ? INTERVALS
    : [...INTERVALS, values.intervalSeconds].sort((a, b) => a - b);
  return (
    <Form method="post" className="flex flex-col gap-6" noValidate>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      {errors && Object.keys(errors).length > 0 ? (
        <Alert tone="error">Some settings need attention; see the messages below.</Alert>
      ) : null}
      <input type="hidden" name="type" value={type} />
      <Fieldset legend="What to check">
        <typeForm.Target values={values} errors={errors} />
        <Field
          label="Name"
          name="name"
          defaultValue={values.name ?? ""}
          placeholder="Public API"
          errors={errors?.name}
        />
        <Field
          label="Tags"
          name="tags"
          defaultValue={values.tags.join(", ")}
          placeholder="production, eu"
          hint="Comma-separated; the list filters by tag."
          errors={errors?.tags}
        />
        {probed && (
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              label="Check every"
              name="intervalSeconds"
              defaultValue={String(values.intervalSeconds)}
              onChange={(event) => setIntervalSeconds(Number(event.target.value))}
              options={intervals.map((seconds) => [String(seconds), intervalLabel(seconds)])}
              errors={errors?.intervalSeconds}
            />
          </div>
        )}
      </Fieldset>

      {probed && (
        <Fieldset legend="When is it up?">
          {typeForm.UpWhen ? (
            <typeForm.UpWhen values={values} errors={errors} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">{monitorType(type).upWhen}</p>
          )}
          <Field
            label="Timeout (seconds)"
            name="timeoutSeconds"
            type="number"
            min={1}
            max={60}
            step="0.5"
            defaultValue={values.timeoutMs === null ? "" : values.timeoutMs / 1000}
            placeholder={`automatic: ${automaticTimeoutMs(intervalSeconds) / 1000}`}
            hint="Leave empty to follow the interval: 10 seconds, or half the interval when that is shorter."
            errors={errors?.timeoutMs}
          />
        </Fieldset>
      )}

      <Fieldset legend="Confirming an outage">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Failures in a row before DOWN"
            name="failureThreshold"
            type="number"
            min={1}
            max={10}
            defaultValue={values.failureThreshold}
            errors={errors?.failureThreshold}
          />
          <Field
            label="Successes in a row before UP"
            name="recoveryThreshold"
            type="number"
            min={1}
            max={10}
            defaultValue={values.recoveryThreshold}
            errors={errors?.recoveryThreshold}
          />
        </div>
        {probed && (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Regions"
              name="regions"
              defaultValue={values.regions.join(", ")}
              hint="Comma-separated; each needs a runner started with REGION=…"
              errors={errors?.regions}
            />
            <Field
              label="Regions that must agree it is down"
              name="downQuorum"
              type="number"
              min={1}
              max={LIMITS.regions}
              defaultValue={values.downQuorum}
              errors={errors?.downQuorum}
            />
          </div>
        )}
      </Fieldset>

      <Fieldset legend="Alerts">
        <input type="hidden" name="channelsShown" value="yes" />
        {channels.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No alert channels yet.{" "}
            <a href="/alerts" className="underline">
              Add one
            </a>{" "}
            to be told when this monitor goes down.
          </p>
        ) : (
          channels.map((channel) => (
            <label key={channel.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="channelIds"
                value={channel.id}
                defaultChecked={values.channelIds ? values.channelIds.includes(channel.id) : channel.isDefault}
              />
              {channel.name} <span className="text-slate-500">({channel.type.toLowerCase()})</span>
            </label>
          ))
        )}
        {errors?.channelIds?.length ? (
          <p className="text-sm text-red-700 dark:text-red-400">{errors.channelIds.join(" ")}</p>
        ) : null}
      </Fieldset>

      <div>
        <Button disabled={submitting}>{submitting ? "Saving…" : submitLabel}</Button>
      </div>
    </Form>
  );
}
