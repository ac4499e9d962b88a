/**
 * Creating and editing monitors. Every write keeps the monitor's per-region schedules
 * in step and wakes the runners, so a new or edited monitor is checked within seconds.
 */
import { assertWithinQuota, createWithinQuota } from "../quotas.server.ts";
import {
  crossFieldErrors,
  MASKED_VALUE,
  monitorSettingsShape,
  REQUEST_SETTINGS,
  timeoutFor,
  type MonitorSettings,
} from "../../../../core/monitor-types/settings.ts";
import type { UpdateMonitorInput } from "~/lib/monitors/monitor-input.ts";
import type { PolicyTarget } from "../../../../core/monitor-types/module.ts";
import { monitorType, type CreateMonitor } from "../../../../core/monitor-types/registry.ts";
import type { MonitorType } from "../../../../core/db/generated/enums.ts";
import type { z } from "zod";
import { changesCheck, storedForm, typePatch } from "./monitor-types.server.ts";
import { randomPhaseMs } from "../../../../core/domain/schedule.ts";
import { MONITOR_DEFAULTS } from "../../../../core/domain/monitor-defaults.ts";
import type { Prisma } from "../../../../core/db/generated/client.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import { notifySchedulers as wakeSchedulers } from "../../../../core/db/queries/monitors.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import type { OwnerScope } from "../scope.server.ts";
import { settingsOf, toMonitorView, type MonitorView } from "./monitor-view.server.ts";
import { assertHostAllowed } from "./target-check.server.ts";

type Tx = Prisma.TransactionClient;
type UpdateInput = z.output<typeof UpdateMonitorInput>;

/** Settings that change what a check does: editing one re-checks the monitor now. */
const CHECK_SETTINGS = [...REQUEST_SETTINGS, "timeoutMs", "intervalSeconds"] as const;

/** The shared settings an update may name (the rest of its fields are the type's own: monitor-types.server.ts). */
const SETTING_KEYS = Object.keys(monitorSettingsShape) as (keyof MonitorSettings)[];

function pick<T extends object>(input: T, keys: readonly PropertyKey[]): Partial<MonitorSettings> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => keys.includes(key)));
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function assertNoCrossFieldErrors(settings: MonitorSettings, type: MonitorType): void {
  const errors = { ...crossFieldErrors(settings), ...monitorType(type).settingsErrors?.(settings) };
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export function notifySchedulers(tx: Tx): Promise<void> {
  return wakeSchedulers(sqlOfPrisma(tx));
}

function columnsOf(settings: MonitorSettings) {
  return {
    url: settings.url,
    name: settings.name,
    method: settings.method,
    requestHeaders: settings.headers,
    requestBody: settings.body,
    expectedStatusCodes: settings.expectedStatusCodes,
    keyword: settings.keyword,
    keywordMode: settings.keywordMode,
    keywordIgnoreCase: settings.keywordIgnoreCase,
    assertions: settings.assertions,
    maxResponseMs: settings.maxResponseMs,
    ignoreTlsErrors: settings.ignoreTlsErrors,
    followRedirects: settings.followRedirects,
    maxRedirects: settings.maxRedirects,
    timeoutMs: settings.timeoutMs,
    intervalSeconds: settings.intervalSeconds,
    failureThreshold: settings.failureThreshold,
    recoveryThreshold: settings.recoveryThreshold,
    regions: settings.regions,
    downQuorum: settings.downQuorum,
    tags: settings.tags,
  };
}

/** Channel ids that are all the user's, or NOT_FOUND. */
async function ownedChannelIds(ctx: CreateScope, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const count = await ctx.db.notificationChannel.count({ where: { id: { in: unique }, userId: ctx.userId } });
  if (count !== unique.length) throw new NotFoundError("Channel not found");
  return unique;
}

/** What creating a monitor needs (the seed creates its demo monitors with just this). */
type CreateScope = Pick<OwnerScope, "db" | "userId" | "env" | "resolve">;

async function assertPolicyAllows(ctx: Pick<CreateScope, "env" | "resolve">, target: PolicyTarget | null) {
  if (target) await assertHostAllowed(ctx, target.host, target.field);
}

/**
 * What an import adds to a create: the key it is known by, whether it starts paused.
 * Never a push token: the server makes one for every heartbeat (issue 25).
 */
export interface ImportedMonitor {
  importKey?: string;
  isActive?: boolean;
}

export async function createMonitor(
  ctx: CreateScope,
  input: CreateMonitor,
  imported: ImportedMonitor = {},
): Promise<MonitorView> {
  const { settings: settingsInput, columns, target, firstCheckAfterSeconds } = storedForm(input);
  const isActive = imported.isActive ?? true;
  const { channelIds: requestedChannels, timeoutMs, ...rest } = settingsInput;
  const merged = { ...MONITOR_DEFAULTS, ...definedOnly(rest) };
  const settings = { ...merged, timeoutMs: timeoutFor(timeoutMs, merged.intervalSeconds) } as MonitorSettings;
  if (settings.headers.some((header) => header.value === MASKED_VALUE)) {
    throw new ValidationError({ headers: ["Enter each header's value"] });
  }
  assertNoCrossFieldErrors(settings, columns.type);
  // Early, before the target's DNS lookup; decided under the lock below.
  await assertWithinQuota(ctx, "monitors");
  await assertPolicyAllows(ctx, target);
  // Without an explicit choice, new monitors alert the user's default channels.
  const channelIds =
    requestedChannels === undefined
      ? (
          await ctx.db.notificationChannel.findMany({
            where: { userId: ctx.userId, isDefault: true },
            select: { id: true },
          })
        ).map((channel) => channel.id)
      : await ownedChannelIds(ctx, requestedChannels);
  // A type may be judged first later (a heartbeat: after its first period and grace).
  const firstCheckAt = new Date(Date.now() + firstCheckAfterSeconds * 1000);
  const monitor = await createWithinQuota(ctx, "monitors", async (tx) => {
    const created = await tx.monitor.create({
      data: {
        ...columnsOf(settings),
        ...columns,
        userId: ctx.userId,
        importKey: imported.importKey ?? null,
        isActive,
        phaseMs: randomPhaseMs(settings.intervalSeconds),
      },
    });
    await tx.monitorSchedule.createMany({
      data: settings.regions.map((region) => ({
        monitorId: created.id,
        region,
        isActive,
        nextCheckAt: firstCheckAt,
      })),
    });
    await tx.monitorChannel.createMany({ data: channelIds.map((channelId) => ({ monitorId: created.id, channelId })) });
    await notifySchedulers(tx);
    return tx.monitor.findUniqueOrThrow({ where: { id: created.id }, include: { channels: true } });
  });
  return toMonitorView(monitor, ctx.env.APP_URL);
}

/** Header values sent back masked keep their stored value. */
function unmaskHeaders(
  submitted: MonitorSettings["headers"],
  stored: MonitorSettings["headers"],
): MonitorSettings["headers"] {
  return submitted.map((header) => {
    if (header.value !== MASKED_VALUE) return header;
    const previous = stored.find((s) => s.name.toLowerCase() === header.name.toLowerCase());
    if (!previous) throw new ValidationError({ headers: [`Enter a value for the header "${header.name}"`] });
    return { name: header.name, value: previous.value };
  });
}

export async function updateMonitor(ctx: OwnerScope, input: UpdateInput): Promise<MonitorView> {
  const { id, channelIds: requestedChannels, timeoutMs, ...patch } = input;
  const existing = await ctx.own.monitor(id);
  const before = settingsOf(existing);
  const typeChange = typePatch(existing, input);
  const changes: Partial<MonitorSettings> = pick(definedOnly(patch), SETTING_KEYS);
  if (typeChange.url !== undefined) changes.url = typeChange.url;
  if (typeChange.intervalSeconds !== undefined) changes.intervalSeconds = typeChange.intervalSeconds;
  if (changes.headers) changes.headers = unmaskHeaders(changes.headers, before.headers);
  const merged = { ...before, ...changes };
  const after: MonitorSettings = { ...merged, timeoutMs: timeoutFor(timeoutMs, merged.intervalSeconds, before) };
  assertNoCrossFieldErrors(after, existing.type);
  await assertPolicyAllows(ctx, typeChange.target);
  const channelIds = requestedChannels === undefined ? undefined : await ownedChannelIds(ctx, requestedChannels);

  const recheck =
    CHECK_SETTINGS.some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])) ||
    changesCheck(existing, typeChange.columns);
  const monitor = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.monitor.update({
      where: { id },
      data: {
        ...columnsOf(after),
        ...typeChange.columns,
        ...(after.intervalSeconds !== before.intervalSeconds ? { phaseMs: randomPhaseMs(after.intervalSeconds) } : {}),
      },
    });
    await tx.monitorSchedule.deleteMany({ where: { monitorId: id, region: { notIn: after.regions } } });
    await tx.monitorSchedule.createMany({
      data: after.regions.map((region) => ({ monitorId: id, region, isActive: updated.isActive })),
      skipDuplicates: true,
    });
    if (recheck) {
      await tx.monitorSchedule.updateMany({
        where: { monitorId: id },
        data: { nextCheckAt: new Date(), leaseUntil: null, leasedSlot: null },
      });
    }
    if (channelIds !== undefined) {
      await tx.monitorChannel.deleteMany({ where: { monitorId: id } });
      await tx.monitorChannel.createMany({ data: channelIds.map((channelId) => ({ monitorId: id, channelId })) });
    }
    await notifySchedulers(tx);
    return tx.monitor.findUniqueOrThrow({ where: { id: updated.id }, include: { channels: true } });
  });
  return toMonitorView(monitor, ctx.env.APP_URL);
}
