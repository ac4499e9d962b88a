/** The monitors a maintenance (one-off or recurring) covers: a checkbox each, sent as `monitorIds`. */
export function MonitorChoices({
  monitors,
  errors,
}: {
  monitors: { id: string; name: string }[];
  errors: string[] | undefined;
}) {
  return (
    <fieldset className="flex flex-col gap-1 sm:col-span-2">
      <legend className="text-sm font-medium">Monitors</legend>
      {monitors.map((monitor) => (
        <label key={monitor.id} className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="monitorIds" value={monitor.id} />
          {monitor.name}
        </label>
      ))}
      {errors ? <p className="text-sm text-red-700 dark:text-red-400">{errors.join(" ")}</p> : null}
    </fieldset>
  );
}
