import { Field } from "~/components/ui/form.tsx";
import type { FieldErrors } from "./form-values.ts";

/** The host and port of a TCP or TLS monitor. */
export function HostAndPort({
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
