/** Each type's part of the monitor form, by type (the form component a new type adds). */
import type { MonitorType } from "../../../../core/db/generated/enums.ts";
import { dnsForm } from "./dns.tsx";
import type { TypeForm } from "./form-values.ts";
import { heartbeatForm } from "./heartbeat.tsx";
import { httpForm } from "./http.tsx";
import { tcpForm } from "./tcp.tsx";
import { tlsForm } from "./tls.tsx";

export const TYPE_FORMS: Record<MonitorType, TypeForm> = {
  HTTP: httpForm,
  TCP: tcpForm,
  HEARTBEAT: heartbeatForm,
  DNS: dnsForm,
  TLS: tlsForm,
};
