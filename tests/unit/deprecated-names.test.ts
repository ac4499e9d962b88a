/**
 * The API's old names (before `Website` became `Monitor`): accepted beside the new ones,
 * the new one winning, and a missing list reported on the new name, as a form shows it.
 */
import { describe, expect, it } from "vitest";
import {
  CreateMaintenanceInput,
  PostAnnouncementInput,
  SetPageMonitorsInput,
} from "../../app/lib/status-pages/status-page-input.ts";

const window = { title: "Upgrade", startsAt: "2030-01-01T02:00:00Z", endsAt: "2030-01-01T03:00:00Z" };

describe("deprecated input names", () => {
  it("take the old name when the new one is not sent, and pass on only the new one", () => {
    const parsed = CreateMaintenanceInput.parse({ ...window, websiteIds: ["m1"] });
    expect(parsed.monitorIds).toEqual(["m1"]);
    expect(parsed).not.toHaveProperty("websiteIds");
    const page = SetPageMonitorsInput.parse({ id: "p1", monitors: [{ websiteId: "m1", displayName: "API" }] });
    expect(page.monitors).toEqual([{ monitorId: "m1", displayName: "API" }]);
  });

  it("prefer the new name when both are sent", () => {
    expect(CreateMaintenanceInput.parse({ ...window, monitorIds: ["new"], websiteIds: ["old"] }).monitorIds).toEqual([
      "new",
    ]);
  });

  it("report a missing list on the new name, with the form's words", () => {
    const result = CreateMaintenanceInput.safeParse(window);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ["monitorIds"], message: "Choose at least one monitor" }),
    ]);
    const page = SetPageMonitorsInput.safeParse({ id: "p1", monitors: [{ displayName: "API" }] });
    expect(page.error?.issues).toEqual([
      expect.objectContaining({ path: ["monitors", 0, "monitorId"], message: "Choose a monitor" }),
    ]);
  });

  it("let an announcement name no monitor at all", () => {
    const base = { id: "p1", kind: "NOTICE", title: "Planned work", message: "Tonight" };
    expect(PostAnnouncementInput.parse(base).monitorIds).toEqual([]);
    expect(PostAnnouncementInput.parse({ ...base, websiteIds: ["m1"] }).monitorIds).toEqual(["m1"]);
  });
});
