/** TLS certificate monitors: valid, for the right name, and not about to expire. */
import { z } from "zod";
import { TLS_DEFAULTS } from "../domain/monitor-defaults.ts";
import type { MonitorTypeModule } from "./module.ts";
import { channelIds, commonSettings, finite, int, LIMITS, PROBED_SETTINGS, probedSettingsOf } from "./settings.ts";
import { socketOf, socketPatch, socketShape, storedSocket } from "./socket-target.ts";

const tlsShape = {
  ...socketShape,
  expiryDays: int("Days before expiry", LIMITS.tlsExpiryDays.min, LIMITS.tlsExpiryDays.max),
};

export const CreateTlsMonitorInput = z.object({
  type: z.literal("TLS"),
  host: tlsShape.host,
  port: tlsShape.port.default(TLS_DEFAULTS.port),
  expiryDays: tlsShape.expiryDays.default(TLS_DEFAULTS.expiryDays),
  ...z.object(commonSettings).partial().shape,
  channelIds: channelIds.optional(),
});

/** A TLS monitor without its own threshold (the API always stores one). */
const expiryDaysOf = (monitor: { tlsExpiryDays: number | null }) => monitor.tlsExpiryDays ?? TLS_DEFAULTS.expiryDays;

export const tls = {
  type: "TLS",
  name: "TLS certificate",
  choice: "TLS certificate",
  upWhen: "When the certificate is trusted, for this host name, and expires later than the threshold.",
  judgedBy: "probe",
  opensInBrowser: false,
  judgesCertificate: true,
  createInput: CreateTlsMonitorInput,
  updateShape: tlsShape,
  settings: ["host", "port", "expiryDays", ...PROBED_SETTINGS],

  stored({ type, host, port, expiryDays, ...settings }) {
    const socket = storedSocket({ host, port }, "tls");
    return {
      settings: { ...settings, url: socket.url },
      columns: { type, ...socket.columns, tlsExpiryDays: expiryDays },
      target: socket.target,
      firstCheckAfterSeconds: 0,
    };
  },
  patch(existing, input: { host?: string; port?: number; expiryDays?: number }) {
    const columns = input.expiryDays === undefined ? {} : { tlsExpiryDays: input.expiryDays };
    const moved = socketPatch(existing, input, "tls");
    return moved
      ? { url: moved.url, columns: { ...columns, ...moved.columns }, target: moved.target }
      : { columns, target: null };
  },
  createInputOf: (monitor, settings) => ({
    ...probedSettingsOf(settings),
    type: "TLS",
    ...socketOf(monitor),
    expiryDays: expiryDaysOf(monitor),
  }),
  defaultName: ({ host, port }) => `${host}:${port}`,
  view: (monitor) => ({ certificate: { ...socketOf(monitor), expiryDays: expiryDaysOf(monitor) } }),
  label: (monitor) =>
    monitor.certificate ? `certificate of ${monitor.certificate.host}:${monitor.certificate.port}` : monitor.url,
  subtitle: (url) => `Certificate · ${url}`,
  fromForm: (fields, common, read) => ({
    type: "TLS",
    host: fields.host ?? "",
    port: read.number(fields.port) ?? TLS_DEFAULTS.port,
    expiryDays: read.number(fields.expiryDays),
    ...common,
  }),
  formTargets: (input) => ({
    certificate: { host: input.host, port: finite(input.port), expiryDays: input.expiryDays ?? null },
  }),

  needsDatabaseToJudge: false,
  probeRequest: (check) => ({
    kind: "tls",
    ...socketOf(check),
    expiryDays: expiryDaysOf(check),
    timeoutMs: check.timeoutMs,
  }),
} satisfies MonitorTypeModule<"TLS", typeof CreateTlsMonitorInput>;
