/**
 * The status page editor's monitor table, as plain form fields (it works without
 * JavaScript): `show.<id>` checked to list a monitor, `name.<id>` its public name,
 * `section.<id>` its heading, `order.<id>` its position. Returns SetPageMonitorsInput's
 * `monitors`, sorted by position (ties keep the table's order).
 */
export function pageMonitorsFromForm(
  form: FormData,
): { monitorId: string; displayName: string; section: string | null }[] {
  const rows: { monitorId: string; displayName: string; section: string | null; order: number; index: number }[] = [];
  let index = 0;
  for (const [key, value] of form) {
    if (!key.startsWith("show.") || value !== "on") continue;
    const id = key.slice("show.".length);
    const order = Number(form.get(`order.${id}`));
    rows.push({
      monitorId: id,
      displayName: text(form, `name.${id}`),
      section: text(form, `section.${id}`) || null,
      order: Number.isFinite(order) ? order : Number.MAX_SAFE_INTEGER,
      index: index++,
    });
  }
  rows.sort((a, b) => a.order - b.order || a.index - b.index);
  return rows.map(({ monitorId, displayName, section }) => ({ monitorId, displayName, section }));
}

function text(form: FormData, key: string): string {
  const value = form.get(key);
  return typeof value === "string" ? value : "";
}
