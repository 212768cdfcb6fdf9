import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openNodeStore } from "./open.ts";
import { freshDatabase } from "./testing.ts";

describe("openNodeStore", () => {
  it("keeps PGlite data in its directory across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ms8-pglite-"));
    try {
      const first = await openNodeStore({ dataDir: dir, seed: true });
      expect(first.engine).toBe("pglite");
      await first.store.upsertDirectoryUsers([
        { userId: "lrn-1", orgId: "org-aurora", displayName: "Ada", roles: ["learner"], timeZone: "UTC" },
      ]);
      await first.store.close();
      const second = await openNodeStore({ dataDir: dir });
      expect(await second.health()).toEqual({ state: "healthy" });
      expect((await second.store.listLearners("org-aurora", { limit: 10 })).items.map((l) => l.learnerId)).toEqual([
        "lrn-1",
      ]);
      await second.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("opens a PostgreSQL URL, and reports down once the server is gone", async () => {
    const db = await freshDatabase();
    const opened = await openNodeStore({ databaseUrl: db.url });
    expect(opened.engine).toBe("postgres");
    expect(await opened.health()).toEqual({ state: "healthy" });
    await db.drop(); // drops the database under the open pool
    expect((await opened.health()).state).toBe("down");
    await opened.store.close();
  });
});
