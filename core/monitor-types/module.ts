/**
 * One monitor type's rules, in one module (core/monitor-types/<type>.ts) behind the
 * registry (registry.ts): its input schema, how its input is stored and changed, how it
 * reads back (API answer, label, form, export), and the probe request the engine sends.
 * Its probe lives in workers/engine/probes/<type>.ts, its form fields in
 * app/components/monitors/types/<type>.tsx. Modules stay free of I/O: browser code
 * imports them (the form, the labels).
 */
import type { z } from "zod";
import type { Monitor } from "../db/generated/client.ts";
import type { MonitorType } from "../db/generated/enums.ts";
import type { DnsRecordType } from "../domain/dns-answer.ts";
import type { ProbeRequest } from "./probe-request.ts";
import type { StoredCheck } from "../db/queries/claims.ts";
import type { KumaMapping } from "./kuma.ts";
import type { MonitorSettings } from "./settings.ts";

/** The probe request a type makes (`http` for HTTP, `tcp` for TCP, …). */
export type ProbeRequestOf<Type extends MonitorType> = Extract<ProbeRequest, { kind: Lowercase<Type> }>;

/** What the runner sets for every probe (HTTP bodies are read up to this many bytes). */
export interface ProbeLimits {
  maxBodyBytes: number;
}

/** The columns only some types use. */
export interface TypeColumns {
  type: MonitorType;
  /** TCP and TLS: the host connected to; DNS: the name looked up. */
  targetHost?: string;
  /** TCP and TLS: the port connected to. */
  targetPort?: number;
  tcpTls?: boolean;
  pushToken?: string;
  heartbeatGraceSeconds?: number;
  dnsRecordType?: DnsRecordType;
  dnsResolver?: string | null;
  expectedValue?: string | null;
  tlsExpiryDays?: number;
}

/** What the target policy must approve before the monitor is stored: a host (or IP) and the field to blame. */
export interface PolicyTarget {
  host: string;
  field: string;
}

/** Settings as a create names them (any may be left out; a null timeout is the automatic one), with the stored URL. */
export type SettingsInput = Partial<Omit<MonitorSettings, "timeoutMs">> & {
  url: string;
  timeoutMs?: number | null;
  channelIds?: string[];
};

/** A new monitor as it is stored. */
export interface StoredForm {
  settings: SettingsInput;
  columns: TypeColumns;
  target: PolicyTarget | null;
  /** How long after its creation it is first judged (0: at once). */
  firstCheckAfterSeconds: number;
}

/** What an update changes in a type's own columns and target. */
export interface TypePatch {
  /** The new stored URL, when the target changed. */
  url?: string;
  intervalSeconds?: number;
  columns: Partial<TypeColumns>;
  target: PolicyTarget | null;
}

/** The parts of a monitor only some types have, as the API answers them (null for the others). */
export interface TypeView {
  /** TCP monitors: what they connect to (`url` reads tcp://host:port). */
  tcp: { host: string; port: number; tls: boolean } | null;
  /** TLS certificate monitors (`url` reads tls://host:port). */
  certificate: { host: string; port: number; expiryDays: number } | null;
  /** DNS monitors (`url` is the name). */
  dns: { hostname: string; recordType: DnsRecordType; expectedValue: string | null; resolver: string | null } | null;
  /** Heartbeat monitors (`intervalSeconds` is the period). */
  heartbeat: { periodSeconds: number; graceSeconds: number } | null;
}

/** A monitor as labels read it: its stored URL and its type's own part. */
export type LabelledMonitor = { url: string } & TypeView;

/** Each type's target as the form edits it (numbers may be empty while typing). */
export interface FormTargets {
  url: string;
  tcp?: { host: string; port: number | null; tls: boolean } | null;
  certificate?: { host: string; port: number | null; expiryDays: number | null } | null;
  dns?: { hostname: string; recordType: DnsRecordType; expectedValue: string | null; resolver: string | null } | null;
  heartbeat?: { periodSeconds: number | null; graceSeconds: number | null } | null;
}

/** Reading submitted form fields: a number (or undefined when empty) and an optional text (or null). */
export interface FormReaders {
  number(value: string | undefined): number | undefined;
  text(value: string | undefined): string | null;
}

/** The settings every type's form has, as read from the submitted fields. */
export interface CommonFormInput {
  name: string | null;
  timeoutMs: number | null;
  intervalSeconds: number | undefined;
  failureThreshold: number | undefined;
  recoveryThreshold: number | undefined;
  regions: string[];
  downQuorum: number | undefined;
  tags: string[];
  channelIds: string[] | undefined;
}

export interface MonitorTypeModule<Type extends MonitorType = MonitorType, Create extends z.ZodObject = z.ZodObject> {
  type: Type;
  /** Its name in sentences: "TCP port", "heartbeat". */
  name: string;
  /** Its choice on the new-monitor page: "HTTP(S) URL", "Heartbeat (cron job)". */
  choice: string;
  /** What "up" means, for the form of a type without settings for it (null: the form has them). */
  upWhen: string | null;
  /**
   * How it is judged: by a probe the engine runs every interval (with a timeout, in one
   * or more regions), or by the pings it receives (a push URL, a period and its grace).
   */
  judgedBy: "probe" | "pings";
  /** Whether its target is a page a browser can open (the monitor page links it). */
  opensInBrowser: boolean;
  /** Whether certificate expiry is its own verdict (no separate expiry alert: its incident alerts). */
  judgesCertificate: boolean;

  /** What a create of this type takes. */
  createInput: Create;
  /** Its own fields, for an update (all optional there). */
  updateShape: z.ZodRawShape;
  /** The update fields it accepts beside the ones every type has; another type's are refused. */
  settings: readonly string[];

  /** Its own rules on complete settings (an update merged with the stored monitor): field errors. */
  settingsErrors?(settings: MonitorSettings): Record<string, string[]>;

  /** A new monitor's stored form. */
  stored(input: z.output<Create>, make: { pushToken(): string }): StoredForm;
  /** What an update changes in its own columns and target (its fields are already checked as its own). */
  patch(existing: Monitor, input: Record<string, unknown>): TypePatch;
  /** A create input that makes a monitor like this one (duplicate, export). */
  createInputOf(monitor: Monitor, settings: MonitorSettings): z.output<Create>;
  /** The name a monitor of this input goes by when it has none of its own. */
  defaultName(input: z.output<Create>): string;
  /** Its own part of the API's answer. */
  view(monitor: Monitor): Partial<TypeView>;
  /** What it watches, in one line (the monitor page). */
  label(monitor: LabelledMonitor): string;
  /** The monitor list's second line. */
  subtitle(url: string): string;
  /** The API's input from the form's submitted fields. */
  fromForm(
    fields: Record<string, string>,
    common: CommonFormInput,
    read: FormReaders,
  ): z.input<Create> & { parseErrors?: Record<string, string[]> };
  /** What the form shows again of its target after a failed submit. */
  formTargets(input: z.input<Create>): Partial<FormTargets>;

  /** How Uptime Kuma's monitors of the kinds it stands for import as this type (none: not imported). */
  kuma?: KumaMapping;

  /** What a check thread is asked to do for a due check of this type. */
  probeRequest(check: StoredCheck, limits: ProbeLimits): ProbeRequestOf<Type>;
  /**
   * Whether judging it needs what only the database knows (a heartbeat's pings): a runner
   * cut off from the database holds such checks instead of guessing.
   */
  needsDatabaseToJudge: boolean;
}
