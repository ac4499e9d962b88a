/** The maintenance page's recurring part: each recurring maintenance with its next occurrences, and the form to add one. */
import { IntentForm, RowAction } from "~/components/ui/intent-form.tsx";
import { Button, Field, SelectField } from "~/components/ui/form.tsx";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import { WEEKDAYS } from "~/lib/status-pages/recurrence-form.ts";
import { formatDateTime } from "../../../core/text/format.ts";
import { MonitorChoices } from "./monitor-choices.tsx";

type Recurring = RouterOutputs["maintenance"]["recurring"][number];

export function RecurringList({ recurring }: { recurring: Recurring[] }) {
  if (recurring.length === 0) return null;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {recurring.map((series) => (
        <li
          key={series.id}
          data-recurring={series.title}
          className="flex flex-wrap items-start justify-between gap-3 p-4 text-sm"
        >
          <div className="flex flex-col gap-1">
            <div className="font-medium">
              {series.title}{" "}
              <span className="font-normal text-slate-500">
                · <code>{series.schedule}</code> in {series.timeZone}, {series.durationMinutes} min
              </span>
            </div>
            <div className="text-slate-600 dark:text-slate-400">{series.monitors.map((m) => m.name).join(", ")}</div>
            <ol aria-label={`Next occurrences of ${series.title}`} className="text-slate-600 dark:text-slate-400">
              {series.next.map((occurrence) => (
                <li key={String(occurrence.startsAt)}>
                  {/* In the maintenance's own zone: the time it was planned in. */}
                  {formatDateTime(occurrence.startsAt, series.timeZone)} –{" "}
                  {formatDateTime(occurrence.endsAt, series.timeZone)}
                </li>
              ))}
            </ol>
          </div>
          <RowAction
            intent="deleteRecurring"
            fields={{ id: series.id }}
            variant="secondary"
            aria-label={`End ${series.title}`}
          >
            End
          </RowAction>
        </li>
      ))}
    </ul>
  );
}

export function RecurringForm({
  monitors,
  timeZone,
  errors,
}: {
  monitors: { id: string; name: string }[];
  timeZone: string;
  errors: Record<string, string[] | undefined> | undefined;
}) {
  return (
    <section
      aria-labelledby="new-recurring"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800"
    >
      <h2 id="new-recurring" className="text-lg font-semibold">
        Recurring maintenance
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Every week, month or day at the same local time in its time zone, daylight saving time included.
      </p>
      <IntentForm intent="createRecurring" className="grid gap-4 sm:grid-cols-2" noValidate>
        <Field label="Title" name="title" errors={errors?.title} />
        <Field label="Description (shown publicly)" name="description" errors={errors?.description} />
        <SelectField
          label="Repeats"
          name="repeat"
          options={[
            ["weekly", "Weekly, on the days below"],
            ["monthly", "Monthly, on the day below"],
            ["daily", "Every day"],
            ["cron", "Cron schedule (below)"],
          ]}
        />
        <Field label="Starts at" name="time" type="time" errors={errors?.time} />
        <fieldset className="flex flex-wrap gap-3 text-sm sm:col-span-2">
          <legend className="mb-1 font-medium">Days (weekly)</legend>
          {WEEKDAYS.map(([value, label]) => (
            <label key={value} className="flex items-center gap-1.5">
              <input type="checkbox" name="days" value={value} /> {label}
            </label>
          ))}
          {errors?.days ? <p className="w-full text-red-700 dark:text-red-400">{errors.days.join(" ")}</p> : null}
        </fieldset>
        <Field
          label="Day of the month (monthly)"
          name="dayOfMonth"
          type="number"
          min={1}
          max={31}
          errors={errors?.dayOfMonth}
        />
        <Field
          label="Cron schedule (minute hour day month weekday)"
          name="cron"
          placeholder="0 2 * * 0"
          errors={errors?.schedule}
        />
        <Field label="Time zone" name="timeZone" defaultValue={timeZone} errors={errors?.timeZone} />
        <Field
          label="Lasts (minutes)"
          name="durationMinutes"
          type="number"
          min={1}
          defaultValue="60"
          errors={errors?.durationMinutes}
        />
        <MonitorChoices monitors={monitors} errors={errors?.monitorIds} />
        <div className="sm:col-span-2">
          <Button>Add recurring maintenance</Button>
        </div>
      </IntentForm>
    </section>
  );
}
