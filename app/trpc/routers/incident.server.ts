import { AcknowledgeLinkInput, IncidentId } from "~/lib/incidents/incident-input.ts";
import {
  acknowledgeIncident,
  acknowledgeIncidentByLink,
  acknowledgeLinkState,
} from "~/server/services/incidents/acknowledge.server.ts";
import { protectedProcedure, publicProcedure, router } from "../init.server.ts";

/** Incidents of the owner's monitors (their list is `monitor.incidents`). */
export const incidentRouter = router({
  /** Acknowledges an open incident: reminders stop, PagerDuty and Opsgenie are told; twice changes nothing. */
  acknowledge: protectedProcedure.input(IncidentId).mutation(({ ctx, input }) => acknowledgeIncident(ctx.scope, input)),
  /**
   * The incident a signed acknowledge link (from an alert email) names: no sign-in, the signature is the credential.
   * A link works for 7 days, while the incident is open and its channel still alerts for the monitor; FORBIDDEN says why not.
   */
  acknowledgeLink: publicProcedure
    .input(AcknowledgeLinkInput)
    .query(({ ctx, input }) => acknowledgeLinkState(ctx.scope, input)),
  /** Acknowledges through the signed link of an alert email, in that recipient's name (the same rules as `acknowledgeLink`). */
  acknowledgeByLink: publicProcedure
    .input(AcknowledgeLinkInput)
    .mutation(({ ctx, input }) => acknowledgeIncidentByLink(ctx.scope, input)),
});
