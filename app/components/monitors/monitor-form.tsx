import { Form, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "~/lib/router-types.ts";
import { useState, type ReactNode } from "react";
import { Alert, Button, Field, SelectField, TextAreaField } from "~/components/ui/form.tsx";
import { headerLines } from "~/lib/monitors/form-fields.ts";
import { automaticTimeoutMs, HTTP_METHODS, LIMITS, MONITOR_DEFAULTS } from "~/lib/monitors/monitor-input.ts";

export interface MonitorFormValues {
  /** HTTP(S) request, or TCP port: the form shows each type's own fields. */
  type?: "HTTP" | "TCP";
  /** TCP monitors' target. */
  tcp?: { host: string; port: number | null; tls: boolean } | null;
  url: string;
  name: string | null;
  method: string;
  headers: { name: string; value: string }[];
  body: string | null;
  expectedStatusCodes: string;
  keyword: string | null;
  keywordMode: "PRESENT" | "ABSENT";
  followRedirects: boolean;
  maxRedirects: number;
  /** Null: the automatic timeout, which follows the interval. */
  timeoutMs: number | null;
  intervalSeconds: number;
  failureThreshold: number;
  recoveryThreshold: number;
  regions: string[];
  downQuorum: number;
  tags: string[];
  channelIds?: string[];
}

export type ChannelOption = Pick<RouterOutputs["notification"]["list"][number], "id" | "name" | "type" | "isDefault">;

export type FieldErrors = Record<string, string[] | undefined> | undefined;

export const NEW_MONITOR_VALUES: MonitorFormValues = {
  ...MONITOR_DEFAULTS,
  timeoutMs: null,
  url: "",
  headers: [],
  regions: [...MONITOR_DEFAULTS.regions],
  tags: [],
};

const INTERVALS = [10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 43_200, 86_400];

function intervalLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  if (seconds < 3600) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
}

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
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
  const tcp = values.type === "TCP";
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
      <input type="hidden" name="type" value={tcp ? "TCP" : "HTTP"} />
      <Fieldset legend="What to check">
        {tcp ? (
          <>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Host"
                name="host"
                required
                defaultValue={values.tcp?.host ?? ""}
                placeholder="db.example.com"
                errors={errors?.host}
              />
              <Field
                label="Port"
                name="port"
                type="number"
                min={1}
                max={65_535}
                required
                defaultValue={values.tcp?.port ?? ""}
                placeholder="5432"
                errors={errors?.port}
              />
            </div>
            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" name="tls" defaultChecked={values.tcp?.tls ?? false} />
              Complete a TLS handshake after connecting
            </label>
          </>
        ) : (
          <Field
            label="URL"
            name="url"
            type="url"
            required
            defaultValue={values.url}
            placeholder="https://example.com/health"
            errors={errors?.url}
          />
        )}
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
        <div className="grid gap-4 sm:grid-cols-2">
          {tcp ? null : (
            <SelectField
              label="Method"
              name="method"
              defaultValue={values.method}
              options={HTTP_METHODS.map((method) => [method, method])}
              errors={errors?.method}
            />
          )}
          <SelectField
            label="Check every"
            name="intervalSeconds"
            defaultValue={String(values.intervalSeconds)}
            onChange={(event) => setIntervalSeconds(Number(event.target.value))}
            options={intervals.map((seconds) => [String(seconds), intervalLabel(seconds)])}
            errors={errors?.intervalSeconds}
          />
        </div>
        {tcp ? null : (
          <>
            <TextAreaField
              label="Request headers"
              name="headers"
              defaultValue={headerLines(values.headers)}
              hint={`One "Name: value" per line, up to ${LIMITS.headers}. Stored values show as •••; leave them to keep them.`}
              errors={errors?.headers}
            />
            <TextAreaField
              label="Request body"
              name="body"
              defaultValue={values.body ?? ""}
              hint="For POST, PUT or PATCH."
              errors={errors?.body}
            />
          </>
        )}
      </Fieldset>

      <Fieldset legend="When is it up?">
        {tcp ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            When the port accepts a connection{values.tcp?.tls ? " and completes a TLS handshake" : ""} within the
            timeout.
          </p>
        ) : (
          <>
            <Field
              label="Expected status codes"
              name="expectedStatusCodes"
              defaultValue={values.expectedStatusCodes}
              hint="Codes and ranges, e.g. 200-299,301 or 2xx."
              errors={errors?.expectedStatusCodes}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Keyword"
                name="keyword"
                defaultValue={values.keyword ?? ""}
                placeholder="optional"
                errors={errors?.keyword}
              />
              <SelectField
                label="The keyword must be"
                name="keywordMode"
                defaultValue={values.keywordMode}
                options={[
                  ["PRESENT", "present in the response"],
                  ["ABSENT", "absent from the response"],
                ]}
                errors={errors?.keywordMode}
              />
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <label className="flex items-center gap-2 text-sm font-medium">
                <input type="checkbox" name="followRedirects" defaultChecked={values.followRedirects} />
                Follow redirects
              </label>
              <Field
                label="At most this many redirects"
                name="maxRedirects"
                type="number"
                min={0}
                max={LIMITS.maxRedirects}
                defaultValue={values.maxRedirects}
                errors={errors?.maxRedirects}
              />
            </div>
          </>
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
