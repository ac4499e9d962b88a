/**
 * Attacks on the app, one test each, named after the attack (issue 12). Each failed
 * against the code before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as feedLoader } from "../../app/routes/status.$slug_.feed[.atom].ts";
import { testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, createWebsite, unique } from "../support/factories.ts";

const db = testDb();
let ownerId: string;

beforeAll(async () => {
  ownerId = (await createUser(db)).id;
});
afterAll(async () => {
  await db.$disconnect();
});

/** A published page showing one monitor, as the owner would set it up. */
async function publishedPage() {
  const website = await createWebsite(db, ownerId);
  const page = await db.statusPage.create({
    data: {
      userId: ownerId,
      name: "Acme",
      slug: unique("acme"),
      isPublished: true,
      monitors: { create: [{ websiteId: website.id, displayName: "API" }] },
    },
  });
  return { page, website };
}

async function fetchFeed(slug: string): Promise<Response> {
  return feedLoader({
    request: new Request(`http://127.0.0.1:3000/status/${slug}/feed.atom`),
    params: { slug },
    context: testContext(db),
  });
}

export const FEED_PAYLOAD =
  'Upgrade ]]> ]]><script xmlns="http://www.w3.org/1999/xhtml">alert(document.domain)</script>';

describe("Atom feed injection", () => {
  it("a maintenance title closing CDATA twice stays text: no markup from owners reaches the feed", async () => {
    const { page, website } = await publishedPage();
    await db.maintenanceWindow.create({
      data: {
        userId: ownerId,
        title: FEED_PAYLOAD,
        description: "<img src=x onerror=alert(1)>",
        startsAt: new Date(Date.now() + 3_600_000),
        endsAt: new Date(Date.now() + 7_200_000),
        monitors: { create: [{ websiteId: website.id }] },
      },
    });
    const response = await fetchFeed(page.slug);
    const xml = await response.text();
    expect(response.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    expect(xml).not.toContain("<script");
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("CDATA");
    expect(xml).not.toContain('type="html"');
    expect(xml).toContain(
      '<title type="text">Maintenance: Upgrade ]]&gt; ]]&gt;&lt;script xmlns=&quot;http://www.w3.org/1999/xhtml&quot;&gt;',
    );
  });
});
