import { RelativeTime } from "~/components/relative-time.tsx";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import { Table } from "~/components/ui/table.tsx";

export type DeliveryRow = RouterOutputs["notification"]["deliveries"][number];

const EVENT_LABEL: Record<string, string> = {
  "incident.opened": "Down",
  "incident.resolved": "Recovered",
  "incident.reminder": "Still down",
  "incident.acknowledged": "Acknowledged",
  "tls.expiring": "TLS expiring",
  test: "Test",
};

function state(delivery: DeliveryRow): { label: string; tone: string } {
  if (delivery.status === "SENT") return { label: "sent", tone: "text-emerald-700 dark:text-emerald-400" };
  if (delivery.status === "FAILED") return { label: "failed", tone: "text-red-700 dark:text-red-400" };
  if (delivery.attempts > 0)
    return { label: `retrying (attempt ${delivery.attempts})`, tone: "text-amber-700 dark:text-amber-400" };
  return { label: "queued", tone: "text-slate-600 dark:text-slate-400" };
}

/** Sent / retrying / failed, with the last error: where an alert went and whether it arrived. */
export function DeliveryLog({ deliveries, now }: { deliveries: DeliveryRow[]; now: number }) {
  if (deliveries.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No alerts sent yet.</p>;
  return (
    <Table
      columns={[
        { label: "When" },
        { label: "Alert" },
        { label: "Channel" },
        { label: "Delivery" },
        { label: "Last error" },
      ]}
    >
      {deliveries.map((delivery) => {
        const { label, tone } = state(delivery);
        return (
          <tr key={delivery.id} data-delivery={delivery.status.toLowerCase()}>
            <td className="whitespace-nowrap px-3 py-2">
              <RelativeTime date={delivery.createdAt} now={now} />
            </td>
            <td className="px-3 py-2">{EVENT_LABEL[delivery.event] ?? delivery.event}</td>
            <td className="px-3 py-2">{delivery.channel.name}</td>
            <td className={`px-3 py-2 font-medium ${tone}`}>{label}</td>
            <td className="px-3 py-2 text-slate-600 dark:text-slate-400">{delivery.lastError ?? ""}</td>
          </tr>
        );
      })}
    </Table>
  );
}
