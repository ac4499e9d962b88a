import { Field, SelectField } from "~/components/ui/form.tsx";
import { LIMITS, type MonitorType } from "~/lib/monitors/monitor-input.ts";
import { DNS_RECORD_TYPES, type DnsRecordType } from "../../../core/domain/dns-answer.ts";
import { DNS_DEFAULTS, HEARTBEAT_DEFAULTS, TCP_DEFAULTS, TLS_DEFAULTS } from "../../../core/domain/monitor-defaults.ts";

/** Each type's target, as the form edits it (numbers may be empty while typing). */
export interface TypeTargets {
  url: string;
  tcp?: { host: string; port: number | null; tls: boolean } | null;
  certificate?: { host: string; port: number | null; expiryDays: number | null } | null;
  dns?: { hostname: string; recordType: DnsRecordType; expectedValue: string | null; resolver: string | null } | null;
  heartbeat?: { periodSeconds: number | null; graceSeconds: number | null } | null;
}

type FieldErrors = Record<string, string[] | undefined> | undefined;

function HostAndPort({
  host,
  port,
  placeholder,
  errors,
}: {
  host: string;
  port: number | string;
  placeholder: [string, string];
  errors: FieldErrors;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field label="Host" name="host" required defaultValue={host} placeholder={placeholder[0]} errors={errors?.host} />
      <Field
        label="Port"
        name="port"
        type="number"
        min={1}
        max={65_535}
        required
        defaultValue={port}
        placeholder={placeholder[1]}
        errors={errors?.port}
      />
    </div>
  );
}

/** The "What to check" fields of one monitor type. */
export function TargetFields({
  type,
  values,
  errors,
}: {
  type: MonitorType;
  values: TypeTargets;
  errors: FieldErrors;
}) {
  switch (type) {
    case "TCP":
      return (
        <>
          <HostAndPort
            host={values.tcp?.host ?? ""}
            port={values.tcp?.port ?? ""}
            placeholder={["db.example.com", "5432"]}
            errors={errors}
          />
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" name="tls" defaultChecked={values.tcp?.tls ?? TCP_DEFAULTS.tls} />
            Complete a TLS handshake after connecting
          </label>
        </>
      );
    case "TLS":
      return (
        <>
          <HostAndPort
            host={values.certificate?.host ?? ""}
            port={values.certificate?.port ?? TLS_DEFAULTS.port}
            placeholder={["example.com", String(TLS_DEFAULTS.port)]}
            errors={errors}
          />
          <Field
            label="Alert this many days before the certificate expires"
            name="expiryDays"
            type="number"
            min={LIMITS.tlsExpiryDays.min}
            max={LIMITS.tlsExpiryDays.max}
            defaultValue={values.certificate?.expiryDays ?? TLS_DEFAULTS.expiryDays}
            errors={errors?.expiryDays}
          />
        </>
      );
    case "DNS":
      return (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Domain name"
              name="hostname"
              required
              defaultValue={values.dns?.hostname ?? ""}
              placeholder="example.com"
              errors={errors?.hostname}
            />
            <SelectField
              label="Record type"
              name="recordType"
              defaultValue={values.dns?.recordType ?? DNS_DEFAULTS.recordType}
              options={DNS_RECORD_TYPES.map((recordType) => [recordType, recordType])}
              errors={errors?.recordType}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Expected value"
              name="expectedValue"
              defaultValue={values.dns?.expectedValue ?? ""}
              placeholder="optional, e.g. 192.0.2.10"
              hint="Several values comma-separated (not for TXT). Any other answer is DOWN, naming the old and new values."
              errors={errors?.expectedValue}
            />
            <Field
              label="Resolver"
              name="resolver"
              defaultValue={values.dns?.resolver ?? ""}
              placeholder="the system's"
              hint="An IP address, with :port when not 53."
              errors={errors?.resolver}
            />
          </div>
        </>
      );
    case "HEARTBEAT":
      return (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Expect a ping every (seconds)"
            name="periodSeconds"
            type="number"
            min={LIMITS.periodSeconds.min}
            max={LIMITS.periodSeconds.max}
            required
            defaultValue={values.heartbeat?.periodSeconds ?? 3600}
            hint="How often your job runs: 3600 for hourly, 86400 for daily."
            errors={errors?.periodSeconds}
          />
          <Field
            label="Grace (seconds)"
            name="graceSeconds"
            type="number"
            min={LIMITS.graceSeconds.min}
            max={LIMITS.graceSeconds.max}
            defaultValue={values.heartbeat?.graceSeconds ?? HEARTBEAT_DEFAULTS.graceSeconds}
            hint="Extra time for a slow run before it is DOWN."
            errors={errors?.graceSeconds}
          />
        </div>
      );
    case "HTTP":
      return (
        <Field
          label="URL"
          name="url"
          type="url"
          required
          defaultValue={values.url}
          placeholder="https://example.com/health"
          errors={errors?.url}
        />
      );
  }
}
