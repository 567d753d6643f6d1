// The reader's limiter keeps the contract octokit's throttling plugin relies on (its
// rate-limit waits through the real plugin are in test/live-cloud/github-live.test.ts).
import { describe, expect, it } from "vitest";
import { ThrottleLimiter } from "../../../src/collectors/github/throttle-limiter.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("ThrottleLimiter", () => {
  it("runs at most maxConcurrent jobs at once, for every key, and passes options and arguments through", async () => {
    const limiter = new ThrottleLimiter(2);
    let running = 0;
    let most = 0;
    const job = async (x: number) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      return x * 2;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => limiter.key(`k${x}`).schedule({ priority: 5 }, job, x)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(most).toBe(2);
  });

  it("does not count jobs of weight 0 (the plugin's retries) against the limit", async () => {
    const limiter = new ThrottleLimiter(1);
    let release!: () => void;
    const blocker = limiter.schedule(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(limiter.schedule({ weight: 0 }, async () => "ran")).resolves.toBe("ran");
    release();
    await blocker;
  });

  it("runs a failed job again after the delay a failed listener answers, with the retry count, else rejects", async () => {
    const limiter = new ThrottleLimiter();
    const seen: Array<{ retryCount: number; args: unknown[] }> = [];
    limiter.on("failed", (_error, info) => {
      seen.push({ retryCount: info.retryCount, args: info.args });
      return info.retryCount < 2 ? 5 : undefined;
    });
    limiter.on("failed", () => {
      throw new Error("a throwing listener answers nothing");
    });
    let calls = 0;
    const always = async (_a: string) => {
      calls++;
      throw new Error(`failure ${calls}`);
    };
    await expect(limiter.schedule(always, "arg")).rejects.toThrow("failure 3");
    expect(seen).toEqual([
      { retryCount: 0, args: ["arg"] },
      { retryCount: 1, args: ["arg"] },
      { retryCount: 2, args: ["arg"] },
    ]);
    let attempts = 0;
    const flaky = async () => {
      if (++attempts < 2) throw new Error("once");
      return "ok";
    };
    await expect(limiter.schedule(flaky)).resolves.toBe("ok");
  });
});
