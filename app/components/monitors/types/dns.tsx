import { Field, SelectField } from "~/components/ui/form.tsx";
import { DNS_RECORD_TYPES } from "../../../../core/domain/dns-answer.ts";
import { DNS_DEFAULTS } from "../../../../core/domain/monitor-defaults.ts";
import type { TypeFieldsProps, TypeForm } from "./form-values.ts";

/** A DNS monitor: the name, its record type, the expected value and the resolver. */
export const dnsForm: TypeForm = {
  Target({ values, errors }: TypeFieldsProps) {
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
  },
};
