/** DNS monitors: a name that resolves (to an expected value, when one is given). */
import { z } from "zod";
import { DNS_RECORD_TYPES, type DnsRecordType } from "../domain/dns-answer.ts";
import { DNS_DEFAULTS } from "../domain/monitor-defaults.ts";
import type { MonitorTypeModule } from "./module.ts";
import {
  channelIds,
  commonSettings,
  host,
  isIpAddress,
  LIMITS,
  PROBED_SETTINGS,
  probedSettingsOf,
} from "./settings.ts";

/**
 * A DNS resolver as stored: "ip", "ip:port", an IPv6 address bare or "[v6]:port" — the IP,
 * the port (53 when none) and the server as node:dns takes it; null when it is not one (a
 * port outside 1–65535 included: port 0 aborts the process inside c-ares).
 */
export function parseResolver(text: string): { ip: string; port: number; server: string } | null {
  const [, bracketed, v6Port] = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text) ?? [];
  const [, v4, v4Port] = /^([\d.]+)(?::(\d{1,5}))?$/.exec(text) ?? [];
  const ip = bracketed ?? v4 ?? text;
  const port = Number(v6Port ?? v4Port ?? 53);
  if (!isIpAddress(ip) || !Number.isInteger(port) || port < 1 || port > 65_535) return null;
  return { ip, port, server: text };
}

/** A DNS resolver: an IP address, with a port when not 53 ("192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53"). */
const resolver = z
  .string()
  .trim()
  .max(64, "At most 64 characters")
  .refine(
    (value) => parseResolver(value) !== null,
    "Enter the resolver's IP address, with :port (1–65535) when not 53 (like 192.0.2.53 or 192.0.2.53:5353)",
  )
  .nullable()
  .transform((value) => (value ? value : null));

const dnsShape = {
  hostname: host,
  recordType: z.enum(DNS_RECORD_TYPES, { error: `The record type is one of ${DNS_RECORD_TYPES.join(", ")}` }),
  expectedValue: z
    .string()
    .trim()
    .max(LIMITS.assertionTextLength, `At most ${LIMITS.assertionTextLength} characters`)
    .nullable()
    .transform((value) => (value ? value : null)),
  resolver,
};

export const CreateDnsMonitorInput = z.object({
  type: z.literal("DNS"),
  hostname: dnsShape.hostname,
  recordType: dnsShape.recordType,
  expectedValue: dnsShape.expectedValue.optional(),
  resolver: dnsShape.resolver.optional(),
  ...z.object(commonSettings).partial().shape,
  channelIds: channelIds.optional(),
});

/** The name is only looked up; the resolver is what the check sends packets to. */
const resolverTarget = (resolver: string | null | undefined) =>
  resolver ? { host: parseResolver(resolver)?.ip ?? resolver, field: "resolver" } : null;

/** The name looked up (a DNS monitor always has one). */
const nameOf = (monitor: { targetHost: string | null }) => monitor.targetHost ?? "";

const recordTypeOf = (monitor: { dnsRecordType: DnsRecordType | null }) =>
  monitor.dnsRecordType ?? DNS_DEFAULTS.recordType;

export const dns = {
  type: "DNS",
  name: "DNS",
  choice: "DNS record",
  upWhen: "When the name answers for the record type within the timeout, with the expected value when one is given.",
  judgedBy: "probe",
  opensInBrowser: false,
  judgesCertificate: false,
  createInput: CreateDnsMonitorInput,
  updateShape: dnsShape,
  settings: ["hostname", "recordType", "expectedValue", "resolver", ...PROBED_SETTINGS],

  stored({ type, hostname, recordType, expectedValue, resolver, ...settings }) {
    return {
      // What the API shows as its url: the name it looks up.
      settings: { ...settings, url: hostname },
      columns: {
        type,
        targetHost: hostname,
        dnsRecordType: recordType,
        expectedValue: expectedValue ?? DNS_DEFAULTS.expectedValue,
        dnsResolver: resolver ?? DNS_DEFAULTS.resolver,
      },
      target: resolverTarget(resolver),
      firstCheckAfterSeconds: 0,
    };
  },
  patch(
    _existing,
    input: { hostname?: string; recordType?: DnsRecordType; expectedValue?: string | null; resolver?: string | null },
  ) {
    return {
      ...(input.hostname === undefined ? {} : { url: input.hostname }),
      columns: {
        ...(input.hostname === undefined ? {} : { targetHost: input.hostname }),
        ...(input.recordType === undefined ? {} : { dnsRecordType: input.recordType }),
        ...(input.expectedValue === undefined ? {} : { expectedValue: input.expectedValue }),
        ...(input.resolver === undefined ? {} : { dnsResolver: input.resolver }),
      },
      target: resolverTarget(input.resolver),
    };
  },
  createInputOf: (monitor, settings) => ({
    ...probedSettingsOf(settings),
    type: "DNS",
    hostname: nameOf(monitor),
    recordType: recordTypeOf(monitor),
    expectedValue: monitor.expectedValue,
    resolver: monitor.dnsResolver,
  }),
  defaultName: ({ recordType, hostname }) => `${recordType} ${hostname}`,
  view: (monitor) => ({
    dns: {
      hostname: nameOf(monitor),
      recordType: recordTypeOf(monitor),
      expectedValue: monitor.expectedValue,
      resolver: monitor.dnsResolver,
    },
  }),
  label: (monitor) =>
    monitor.dns
      ? `${monitor.dns.recordType} ${monitor.dns.hostname}${monitor.dns.resolver ? ` via ${monitor.dns.resolver}` : ""}`
      : monitor.url,
  subtitle: (url) => `DNS · ${url}`,
  fromForm: (fields, common, read) => ({
    type: "DNS",
    hostname: fields.hostname ?? "",
    recordType: (fields.recordType ?? DNS_DEFAULTS.recordType) as DnsRecordType,
    expectedValue: read.text(fields.expectedValue),
    resolver: read.text(fields.resolver),
    ...common,
  }),
  kuma: {
    types: ["dns"],
    names: ["DNS"],
    map(monitor, common) {
      const recordType = monitor.dns_resolve_type ?? DNS_DEFAULTS.recordType;
      if (!(DNS_RECORD_TYPES as readonly string[]).includes(recordType)) {
        return `${recordType} records are not supported here (${DNS_RECORD_TYPES.join(", ")} are)`;
      }
      const port = Number(monitor.dns_resolve_port ?? 53);
      const server = monitor.dns_resolve_server?.trim();
      const resolver = server
        ? port === 53
          ? server
          : `${server.includes(":") ? `[${server}]` : server}:${port}`
        : null;
      return { ...common, type: "DNS", hostname: monitor.hostname ?? "", recordType, resolver };
    },
  },
  formTargets: (input) => ({
    dns: {
      hostname: input.hostname,
      recordType: input.recordType,
      expectedValue: input.expectedValue ?? null,
      resolver: input.resolver ?? null,
    },
  }),

  needsDatabaseToJudge: false,
  probeRequest: (check) => ({
    kind: "dns",
    hostname: nameOf(check),
    recordType: recordTypeOf(check),
    resolver: check.dnsResolver,
    expectedValue: check.expectedValue,
    timeoutMs: check.timeoutMs,
  }),
} satisfies MonitorTypeModule<"DNS", typeof CreateDnsMonitorInput>;
