/**
 * The payload of MONITOR_CHANGES_CHANNEL: which monitors of which users a committed batch
 * changed, as JSON `{ "<userId>": ["<monitorId>", …], … }`, split so that no payload
 * passes PostgreSQL's 8,000-byte limit. Pure.
 */

const MAX_PAYLOAD_BYTES = 7_500;

export type MonitorChanges = Map<string, string[]>;

export function encodeMonitorChanges(changes: MonitorChanges): string[] {
  const payloads: string[] = [];
  let current: Record<string, string[]> = {};
  let size = 2;
  for (const [userId, ids] of changes) {
    for (const id of ids) {
      const cost = id.length + 3 + (current[userId] ? 0 : userId.length + 6);
      if (size + cost > MAX_PAYLOAD_BYTES && size > 2) {
        payloads.push(JSON.stringify(current));
        current = {};
        size = 2;
      }
      size += id.length + 3 + (current[userId] ? 0 : userId.length + 6);
      (current[userId] ??= []).push(id);
    }
  }
  if (size > 2) payloads.push(JSON.stringify(current));
  return payloads;
}

/** The changes a payload names; nothing for a payload that is not ours. */
export function decodeMonitorChanges(payload: string): MonitorChanges {
  const changes: MonitorChanges = new Map();
  try {
    const parsed: unknown = JSON.parse(payload);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return changes;
    for (const [userId, ids] of Object.entries(parsed)) {
      if (Array.isArray(ids))
        changes.set(
          userId,
          ids.filter((id): id is string => typeof id === "string"),
        );
    }
  } catch {
    // not JSON: not ours
  }
  return changes;
}
