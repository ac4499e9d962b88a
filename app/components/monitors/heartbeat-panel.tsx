import { RowAction } from "~/components/ui/intent-form.tsx";
import { useId, useState } from "react";
import { Button } from "~/components/ui/form.tsx";
import { DateTime } from "~/components/ui/date-time.tsx";
import { Section } from "~/components/ui/section.tsx";
import { Table } from "~/components/ui/table.tsx";

export interface PingRow {
  receivedAt: string | Date;
  failed: boolean;
  message: string | null;
}

/** The crontab line: ping after the job, report its failure otherwise. */
export function cronLine(pushUrl: string): string {
  return `your-job && curl -fsS -m 10 --retry 3 "${pushUrl}" || curl -fsS -m 10 "${pushUrl}?status=down"`;
}

function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className="flex flex-col gap-1 text-sm font-medium">
      <label htmlFor={id}>{label}</label>
      <span className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className="w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
        />
        <Button
          type="button"
          variant="secondary"
          aria-label={`Copy the ${label.toLowerCase()}`}
          onClick={() =>
            void navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </span>
    </div>
  );
}

/** A heartbeat monitor's push URL, the crontab line to call it, a way to replace it, and the last pings. */
export function HeartbeatPanel({ pushUrl, pings }: { pushUrl: string; pings: PingRow[] }) {
  return (
    <Section id="push" title="How your job checks in" variant="panel">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Call this URL (GET or POST) each time your job succeeds; add <code>?status=down&amp;msg=…</code> to report a
        failure. Anyone with the URL can ping it: keep it secret, and replace it if it leaks.
      </p>
      <CopyField label="Push URL" value={pushUrl} />
      <CopyField label="For crontab" value={cronLine(pushUrl)} />
      <RowAction intent="regeneratePushToken" variant="secondary">
        Replace the push URL
      </RowAction>
      <h3 className="text-base font-semibold">Last pings</h3>
      {pings.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No ping yet.</p>
      ) : (
        <Table
          plain
          caption="Last pings"
          columns={[{ label: "Received" }, { label: "Reported" }, { label: "Message" }]}
        >
          {pings.map((ping) => (
            <tr
              key={new Date(ping.receivedAt).toISOString()}
              className="border-t border-slate-200 dark:border-slate-800"
            >
              <td className="p-2">
                <DateTime value={ping.receivedAt} />
              </td>
              <td className="p-2">{ping.failed ? "failure" : "success"}</td>
              <td className="p-2 break-all">{ping.message ?? ""}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
