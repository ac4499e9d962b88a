import { TCP_DEFAULTS } from "../../../../core/domain/monitor-defaults.ts";
import type { TypeFieldsProps, TypeForm } from "./form-values.ts";
import { HostAndPort } from "./host-and-port.tsx";

/** A TCP port monitor: host, port, and whether to complete a TLS handshake. */
export const tcpForm: TypeForm = {
  Target({ values, errors }: TypeFieldsProps) {
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
  },
};
