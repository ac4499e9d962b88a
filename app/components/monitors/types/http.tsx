import { Field, SelectField, TextAreaField } from "~/components/ui/form.tsx";
import { assertionLines, headerLines } from "../../../../core/monitor-types/http-lines.ts";
import { HTTP_METHODS, LIMITS } from "../../../../core/monitor-types/settings.ts";
import type { TypeFieldsProps, TypeForm } from "./form-values.ts";

/** An HTTP(S) monitor: the request, and what its answer must look like. */
export const httpForm: TypeForm = {
  Target({ values, errors }: TypeFieldsProps) {
    return (
      <>
        <Field
          label="URL"
          name="url"
          type="url"
          required
          defaultValue={values.url}
          placeholder="https://example.com/health"
          errors={errors?.url}
        />

        <SelectField
          label="Method"
          name="method"
          defaultValue={values.method}
          options={HTTP_METHODS.map((method) => [method, method])}
          errors={errors?.method}
        />
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
    );
  },
  UpWhen({ values, errors }: TypeFieldsProps) {
    return (
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
    );
  },
};
