import { Field } from "~/components/ui/form.tsx";
import { TLS_DEFAULTS } from "../../../../core/domain/monitor-defaults.ts";
import { LIMITS } from "../../../../core/monitor-types/settings.ts";
import type { TypeFieldsProps, TypeForm } from "./form-values.ts";
import { HostAndPort } from "./host-and-port.tsx";

/** A TLS certificate monitor: host, port, and how early to alert. */
export const tlsForm: TypeForm = {
  Target({ values, errors }: TypeFieldsProps) {
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
  },
};
