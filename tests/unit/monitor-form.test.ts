import { describe, expect, it } from "vitest";
import { formToMonitorInput, headerLines, parseHeaderLines } from "../../app/lib/monitors/form-fields.ts";

describe("monitor form", () => {
  it("reads headers as Name: value lines, and says which line is wrong", () => {
    expect(parseHeaderLines("Authorization: Bearer a:b\n\nX-Env: prod")).toEqual({
      ok: true,
      headers: [
        { name: "Authorization", value: "Bearer a:b" },
        { name: "X-Env", value: "prod" },
      ],
    });
    expect(parseHeaderLines("X-Ok: 1\nbroken line")).toEqual({
      ok: false,
      error: 'Line 2: write headers as "Name: value"',
    });
    expect(headerLines([{ name: "A", value: "1" }])).toBe("A: 1");
  });

  it("turns fields into the API's input", () => {
    expect(
      formToMonitorInput({
        url: "https://example.test/health",
        name: "API",
        method: "POST",
        headers: "X-Key: 1",
        timeoutSeconds: "2.5",
        intervalSeconds: "30",
        followRedirects: "on",
        regions: "eu, us",
        downQuorum: "2",
      }),
    ).toMatchObject({
      url: "https://example.test/health",
      method: "POST",
      headers: [{ name: "X-Key", value: "1" }],
      timeoutMs: 2500,
      intervalSeconds: 30,
      followRedirects: true,
      regions: ["eu", "us"],
      downQuorum: 2,
    });
    expect(formToMonitorInput({ url: "x" }).followRedirects).toBe(false);
  });
});
