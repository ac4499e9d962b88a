/** Heartbeat (push) monitors: DOWN when no ping came within the period and its grace. */
import { z } from "zod";
import { HEARTBEAT_DEFAULTS } from "../domain/monitor-defaults.ts";
import { formatDuration } from "../text/format.ts";
import type { MonitorTypeModule } from "./module.ts";
import { channelIds, commonSettings, finite, int, LIMITS, monitorSettingsShape } from "./settings.ts";

/** What a heartbeat expects: a ping every period, plus a grace for a slow run. */
const heartbeatShape = {
  periodSeconds: int("Period (seconds)", LIMITS.periodSeconds.min, LIMITS.periodSeconds.max),
  graceSeconds: int("Grace (seconds)", LIMITS.graceSeconds.min, LIMITS.graceSeconds.max),
};

const ONE_REGION = "A heartbeat is judged in one region";

/**
 * Heartbeats have no timeout or interval of their own (the period is theirs), and are
 * judged in one region: the one whose runners read their pings (several would judge the
 * same pings twice).
 */
const heartbeatSettings = {
  name: commonSettings.name,
  failureThreshold: commonSettings.failureThreshold,
  recoveryThreshold: commonSettings.recoveryThreshold,
  tags: commonSettings.tags,
  regions: monitorSettingsShape.regions.max(1, ONE_REGION),
};

export const CreateHeartbeatMonitorInput = z.object({
  type: z.literal("HEARTBEAT"),
  periodSeconds: heartbeatShape.periodSeconds,
  graceSeconds: heartbeatShape.graceSeconds.optional(),
  ...z.object(heartbeatSettings).partial().shape,
  channelIds: channelIds.optional(),
});

/** What a heartbeat monitor stores in `url`: nothing is fetched; the push URL carries the token. */
export const HEARTBEAT_URL = "heartbeat";

/** A heartbeat has no URL to name it by: unnamed, it is "Heartbeat" in lists and alerts. */
const UNNAMED = "Heartbeat";

export const heartbeat = {
  type: "HEARTBEAT",
  name: "heartbeat",
  choice: "Heartbeat (cron job)",
  upWhen: null,
  judgedBy: "pings",
  opensInBrowser: false,
  judgesCertificate: false,
  createInput: CreateHeartbeatMonitorInput,
  updateShape: heartbeatShape,
  settings: ["periodSeconds", "graceSeconds", "regions"],

  // An update may name regions too: still one.
  settingsErrors: (settings): Record<string, string[]> =>
    settings.regions.length > 1 ? { regions: [ONE_REGION] } : {},

  stored({ type, periodSeconds, graceSeconds, ...settings }, make) {
    const grace = graceSeconds ?? HEARTBEAT_DEFAULTS.graceSeconds;
    return {
      settings: {
        ...settings,
        name: settings.name || UNNAMED,
        url: HEARTBEAT_URL,
        intervalSeconds: periodSeconds,
        timeoutMs: null,
      },
      columns: { type, pushToken: make.pushToken(), heartbeatGraceSeconds: grace },
      target: null,
      // First judged when its first period (and grace) has passed; a ping before then judges it sooner.
      firstCheckAfterSeconds: periodSeconds + grace,
    };
  },
  patch: (_existing, input: { periodSeconds?: number; graceSeconds?: number }) => ({
    ...(input.periodSeconds === undefined ? {} : { intervalSeconds: input.periodSeconds }),
    columns: input.graceSeconds === undefined ? {} : { heartbeatGraceSeconds: input.graceSeconds },
    target: null,
  }),
  createInputOf: (monitor, settings) => ({
    name: settings.name,
    failureThreshold: settings.failureThreshold,
    recoveryThreshold: settings.recoveryThreshold,
    tags: settings.tags,
    regions: settings.regions,
    type: "HEARTBEAT",
    periodSeconds: settings.intervalSeconds,
    graceSeconds: monitor.heartbeatGraceSeconds,
  }),
  defaultName: () => UNNAMED,
  view: (monitor) => ({
    heartbeat: { periodSeconds: monitor.intervalSeconds, graceSeconds: monitor.heartbeatGraceSeconds },
  }),
  label: (monitor) =>
    monitor.heartbeat
      ? `heartbeat: a ping every ${formatDuration(monitor.heartbeat.periodSeconds)}${monitor.heartbeat.graceSeconds ? ` (+ ${formatDuration(monitor.heartbeat.graceSeconds)} grace)` : ""}`
      : "heartbeat",
  subtitle: () => "Heartbeat (push)",
  fromForm: (fields, { name, tags, failureThreshold, recoveryThreshold, channelIds }, read) => ({
    type: "HEARTBEAT",
    periodSeconds: read.number(fields.periodSeconds) ?? Number.NaN,
    graceSeconds: read.number(fields.graceSeconds) ?? HEARTBEAT_DEFAULTS.graceSeconds,
    name,
    tags,
    failureThreshold,
    recoveryThreshold,
    channelIds,
  }),
  kuma: {
    types: ["push"],
    names: ["push"],
    map(_monitor, common) {
      // A new push URL: the import's report says so, and where to copy it from.
      const { timeoutMs: _timeout, intervalSeconds, ...rest } = common;
      return { ...rest, type: "HEARTBEAT", periodSeconds: intervalSeconds, ...HEARTBEAT_DEFAULTS };
    },
  },
  formTargets: (input) => ({
    heartbeat: {
      periodSeconds: finite(input.periodSeconds),
      graceSeconds: finite(input.graceSeconds) ?? HEARTBEAT_DEFAULTS.graceSeconds,
    },
  }),

  // Pings cannot be received (nor read) without the database: judging a heartbeat from
  // memory would call it DOWN for silence nobody could hear.
  needsDatabaseToJudge: true,
  probeRequest: (check) => ({
    kind: "heartbeat",
    rule: { periodSeconds: check.intervalSeconds, graceSeconds: check.heartbeatGraceSeconds },
    lastPing: check.lastPingAt && {
      atMs: check.lastPingAt.getTime(),
      failed: check.lastPingFailed ?? false,
      message: check.lastPingMessage,
    },
    watchedSinceMs: check.createdAt.getTime(),
  }),
} satisfies MonitorTypeModule<"HEARTBEAT", typeof CreateHeartbeatMonitorInput>;
