/**
 * Importing alert channels (import.server.ts runs it): matched by key, secrets the file
 * does not hold kept. The owner's credentials for other services (webhook URLs, bot
 * tokens, API keys) come from the file when it has them; what this server chooses never
 * does: a new webhook channel signs with a new secret, a matched one keeps its own, and
 * an email address is confirmed by its owner, not by the file (issue 25).
 */
import { CreateChannelInput, SECRET_FIELDS, UpdateChannelInput } from "~/lib/notifications/channel-input.ts";
import type { ChannelEntry } from "~/lib/setup/setup-document.ts";
import { createChannel, updateChannel } from "../notifications/channels.server.ts";
import { channelEntry, statesSame } from "./entries.server.ts";
import { byKey, notes, validated, type Outcome, type Run } from "./import-run.server.ts";

/** An entry's own fields (as notification.create names them), without the document's bookkeeping. */
function channelFields(entry: ChannelEntry): Record<string, unknown> {
  const { key: _key, type: _type, name: _name, isDefault: _d, reminderMinutes: _r, ...fields } = entry;
  return fields;
}

/** A webhook channel made by an import signs with a secret the server just chose, shown to nobody yet. */
const NEW_SIGNING_SECRET =
  'it signs with a new secret (this server chooses it; one in the file is not used): press "New secret" on the Alerts page and give it to the receiver';

export async function importChannel(run: Run, entry: ChannelEntry): Promise<Outcome> {
  const { scope } = run;
  const existing = await scope.db.notificationChannel.findFirst({ where: byKey(scope.userId, entry.key) });
  const fields = channelFields(entry);
  // Credentials the file does not hold (null): kept when the channel exists, else it cannot be made.
  const hidden = SECRET_FIELDS[entry.type].filter((field) => fields[field] === null);
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
  if (!existing) {
    if (hidden.length > 0) {
      return {
        result: "skipped",
        note: `its ${hidden.join(", ")} is a secret the file does not hold: export with --include-secrets, or add the channel by hand`,
      };
    }
    const input = validated(CreateChannelInput, {
      ...given,
      type: entry.type,
      name: entry.name,
      isDefault: entry.isDefault,
      reminderMinutes: entry.reminderMinutes,
    });
    const created = await createChannel(scope, input, { importKey: entry.key });
    run.idsByKey.channels.set(entry.key, created.id);
    run.keys.channels.set(created.id, entry.key);
    return {
      result: "created",
      note: notes(
        created.awaitingConfirmation
          ? "a confirmation mail went to the address: alerts start once confirmed"
          : undefined,
        entry.type === "WEBHOOK" ? NEW_SIGNING_SECRET : undefined,
      ),
    };
  }
  run.idsByKey.channels.set(entry.key, existing.id);
  if (existing.type !== entry.type) {
    return { result: "skipped", note: `the channel with this key is ${existing.type} here, not ${entry.type}` };
  }
  // A secret the file does not hold is not stated: the stored one stays.
  const stated = { ...entry, ...Object.fromEntries(hidden.map((field) => [field, undefined])) };
  if (statesSame(channelEntry(existing, run.includesSecrets), stated)) return { result: "unchanged" };
  await updateChannel(
    scope,
    validated(UpdateChannelInput, {
      ...given,
      id: existing.id,
      name: entry.name,
      isDefault: entry.isDefault,
      reminderMinutes: entry.reminderMinutes,
    }),
  );
  return { result: "updated" };
}
