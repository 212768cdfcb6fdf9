/** The typed hc client reaches the app with typed paths (a compile-time contract, checked at run time here). */
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createMs8Client } from "../src/client.ts";
import { callers, userToken } from "./doubles/tokens.ts";
import { createTestWorld } from "./doubles/world.ts";

describe("createMs8Client", () => {
  it("calls a learner route with typed params and reads the typed envelope", async () => {
    const app = createApp(createTestWorld().deps);
    const token = await userToken(callers.learnerA1);
    const client = createMs8Client("http://ms8.test", {
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        app.request(input instanceof Request ? input : String(input), init),
      headers: { Authorization: `Bearer ${token}` },
    });
    const res = await client.api.v1.learners[":learnerId"].velocity.$get({ param: { learnerId: "lrn-a1" } });
    expect(res.status).toBe(200);
    if (res.status === 200) {
      const body = await res.json();
      expect(body.data.learnerId).toBe("lrn-a1");
      expect(body.meta.dataSource).toBe("realtime");
    }
  });
});
