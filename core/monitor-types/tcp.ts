/** TCP monitors: a port that accepts a connection (and, optionally, a TLS handshake). */
import { z } from "zod";
import { TCP_DEFAULTS } from "../domain/monitor-defaults.ts";
import type { MonitorTypeModule } from "./module.ts";
import { channelIds, commonSettings, finite, PROBED_SETTINGS, probedSettingsOf } from "./settings.ts";
import { socketOf, socketPatch, socketShape, storedSocket } from "./socket-target.ts";

const tcpShape = { ...socketShape, tls: z.boolean({ error: "TLS is true or false" }) };

export const CreateTcpMonitorInput = z.object({
  type: z.literal("TCP"),
  host: tcpShape.host,
  port: tcpShape.port,
  tls: tcpShape.tls.optional(),
  ...z.object(commonSettings).partial().shape,
  channelIds: channelIds.optional(),
});

export const tcp = {
  type: "TCP",
  name: "TCP port",
  choice: "TCP port",
  upWhen: "When the port accepts a connection (and completes the TLS handshake, when chosen) within the timeout.",
  judgedBy: "probe",
  opensInBrowser: false,
  judgesCertificate: false,
  createInput: CreateTcpMonitorInput,
  updateShape: tcpShape,
  settings: ["host", "port", "tls", ...PROBED_SETTINGS],

  stored({ type, host, port, tls, ...settings }) {
    const socket = storedSocket({ host, port }, "tcp");
    return {
      settings: { ...settings, url: socket.url },
      columns: { type, ...socket.columns, tcpTls: tls ?? TCP_DEFAULTS.tls },
      target: socket.target,
      firstCheckAfterSeconds: 0,
    };
  },
  patch(existing, input: { host?: string; port?: number; tls?: boolean }) {
    const columns = input.tls === undefined ? {} : { tcpTls: input.tls };
    const moved = socketPatch(existing, input, "tcp");
    return moved
      ? { url: moved.url, columns: { ...columns, ...moved.columns }, target: moved.target }
      : { columns, target: null };
  },
  createInputOf: (monitor, settings) => ({
    ...probedSettingsOf(settings),
    type: "TCP",
    ...socketOf(monitor),
    tls: monitor.tcpTls,
  }),
  defaultName: ({ host, port }) => `${host}:${port}`,
  view: (monitor) => ({ tcp: { ...socketOf(monitor), tls: monitor.tcpTls } }),
  label: (monitor) => `${monitor.url}${monitor.tcp?.tls ? " (TLS)" : ""}`,
  subtitle: (url) => url,
  fromForm: (fields, common, read) => ({
    type: "TCP",
    host: fields.host ?? "",
    port: read.number(fields.port) ?? Number.NaN,
    tls: fields.tls === "on",
    ...common,
  }),
  kuma: {
    types: ["port"],
    names: ["TCP port"],
    map: (monitor, common) => ({ ...common, type: "TCP", host: monitor.hostname ?? "", port: Number(monitor.port) }),
  },
  formTargets: (input) => ({ tcp: { host: input.host, port: finite(input.port), tls: input.tls ?? TCP_DEFAULTS.tls } }),

  needsDatabaseToJudge: false,
  probeRequest: (check) => ({ kind: "tcp", ...socketOf(check), tls: check.tcpTls, timeoutMs: check.timeoutMs }),
} satisfies MonitorTypeModule<"TCP", typeof CreateTcpMonitorInput>;
