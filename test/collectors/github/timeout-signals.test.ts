// One timer for every attempt's timeout: each signal aborts after the timeout, in order, with
// the reason AbortSignal.timeout gives.
import { describe, expect, it } from "vitest";
import { TimeoutSignals } from "../../../src/collectors/github/timeout-signals.ts";

const aborted = (signal: AbortSignal) => new Promise<number>((resolve) => signal.addEventListener("abort", () => resolve(performance.now()), { once: true }));

describe("TimeoutSignals", () => {
  it("aborts each signal no sooner than the timeout after it was made, with a TimeoutError", async () => {
    const timeouts = new TimeoutSignals(40);
    const madeFirst = performance.now();
    const first = timeouts.signal();
    await new Promise((resolve) => setTimeout(resolve, 15));
    const madeSecond = performance.now();
    const second = timeouts.signal();
    expect(first.aborted || second.aborted).toBe(false);
    const [firstAt, secondAt] = await Promise.all([aborted(first), aborted(second)]);
    // Timers may fire up to a millisecond early against performance.now(); never much earlier.
    expect(firstAt - madeFirst).toBeGreaterThanOrEqual(39);
    expect(secondAt - madeSecond).toBeGreaterThanOrEqual(39);
    expect(secondAt).toBeGreaterThanOrEqual(firstAt);
    expect(first.reason).toBeInstanceOf(DOMException);
    expect(first.reason).toMatchObject({ name: "TimeoutError" });
  });

  it("aborts a fetch that waits on a server that never answers", async () => {
    const { createServer } = await import("node:net");
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await expect(fetch(`http://127.0.0.1:${port}/`, { signal: new TimeoutSignals(50).signal() })).rejects.toMatchObject({ name: "TimeoutError" });
    } finally {
      silent.close();
    }
  });
});
