import { Form, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import { useState, type ReactNode } from "react";
import { Alert, Button, Field, SelectField, TextAreaField } from "~/components/ui/form.tsx";
import { assertionLines, headerLines } from "~/lib/monitors/form-fields.ts";
import { automaticTimeoutMs, HTTP_METHODS, LIMITS, type MonitorType } from "~/lib/monitors/monitor-input.ts";
import type { Assertion } from "../../../core/domain/assertions.ts";
import { MONITOR_DEFAULTS } from "../../../core/domain/monitor-defaults.ts";
import { TargetFields, type TypeTargets } from "./monitor-target-fields.tsx";

export interface MonitorFormValues extends TypeTargets {
  /** The form shows each type's own fields (HTTP when not set). */
  type?: MonitorType;
  url: string;
  name: string | null;
  method: string;
  headers: { name: string; value: string }[];
  body: string | null;
  expectedStatusCodes: string;
  keyword: string | null;
  keywordMode: "PRESENT" | "ABSENT";
  keywordIgnoreCase: boolean;
  assertions: Assertion[];
  maxResponseMs: number | null;
  ignoreTlsErrors: boolean;
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

/** What "up" means, for the types without settings for it. */
const UP_WHEN: Record<Exclude<MonitorType, "HTTP" | "HEARTBEAT">, string> = {
  TCP: "When the port accepts a connection (and completes the TLS handshake, when chosen) within the timeout.",
  DNS: "When the name answers for the record type within the timeout, with the expected value when one is given.",
  TLS: "When the certificate is trusted, for this host name, and expires later than the threshold.",
};

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
  const type = values.type ?? "HTTP";
  const http = type === "HTTP";
  const heartbeat = type === "HEARTBEAT";
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
        <TargetFields type={type} values={values} errors={errors} />
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
        {heartbeat ? null : (
          <div className="grid gap-4 sm:grid-cols-2">
            {http ? (
              <SelectField
                label="Method"
                name="method"
                defaultValue={values.method}
                options={HTTP_METHODS.map((method) => [method, method])}
                errors={errors?.method}
              />
            ) : null}
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
        {http ? (
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
        ) : null}
      </Fieldset>

      {heartbeat ? null : (
        <Fieldset legend="When is it up?">
          {!http ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{UP_WHEN[type]}</p>
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
              <label className="flex items-center gap-2 text-sm font-medium">
                <input type="checkbox" name="keywordIgnoreCase" defaultChecked={values.keywordIgnoreCase} />
                Match the keyword ignoring upper and lower case
              </label>
              <TextAreaField
                label="Assertions"
                name="assertions"
                defaultValue={assertionLines(values.assertions)}
                placeholder={
                  "json $.status equals ok\njson /queue/depth < 100\nheader content-type contains json\nbody matches ^OK"
                }
                hint="One per line: json <JSONPath or JSON Pointer> equals | contains | < | > | exists <value>; header <name> equals | contains | matches | exists <value>; body matches | not_matches <pattern> (RE2 syntax)."
                errors={errors?.assertions}
              />
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  label="Slowest acceptable response (ms)"
                  name="maxResponseMs"
                  type="number"
                  min={1}
                  max={60_000}
                  defaultValue={values.maxResponseMs ?? ""}
                  placeholder="no limit"
                  hint="A slower response is DOWN."
                  errors={errors?.maxResponseMs}
                />
                <label className="flex items-center gap-2 text-sm font-medium">
                  <input type="checkbox" name="ignoreTlsErrors" defaultChecked={values.ignoreTlsErrors} />
                  Ignore TLS certificate errors (internal services with self-signed certificates)
                </label>
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
        {heartbeat ? null : (
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
