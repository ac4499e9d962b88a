import { Field } from "~/components/ui/form.tsx";
import { HEARTBEAT_DEFAULTS } from "../../../../core/domain/monitor-defaults.ts";
import { LIMITS } from "../../../../core/monitor-types/settings.ts";
import type { TypeFieldsProps, TypeForm } from "./form-values.ts";

/** A heartbeat: how often its job pings, and the grace for a slow run. */
export const heartbeatForm: TypeForm = {
  Target({ values, errors }: TypeFieldsProps) {
    return (
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Expect a ping every (seconds)"
          name="periodSeconds"
          type="number"
          min={LIMITS.periodSeconds.min}
          max={LIMITS.periodSeconds.max}
          required
          defaultValue={values.heartbeat?.periodSeconds ?? 3600}
          hint="How often your job runs: 3600 for hourly, 86400 for daily."
          errors={errors?.periodSeconds}
        />
        <Field
          label="Grace (seconds)"
          name="graceSeconds"
          type="number"
          min={LIMITS.graceSeconds.min}
          max={LIMITS.graceSeconds.max}
          defaultValue={values.heartbeat?.graceSeconds ?? HEARTBEAT_DEFAULTS.graceSeconds}
          hint="Extra time for a slow run before it is DOWN."
          errors={errors?.graceSeconds}
        />
      </div>
    );
  },
};
