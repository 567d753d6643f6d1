// V8's young generation held at 32 MiB (two 16 MiB semi-spaces) instead of growing to 128 MiB.
//
// V8 doubles the young generation each time more bytes survived its collections than it holds,
// up to 64 MiB semi-spaces on a machine with 16 GiB or more. credgov's commands keep most of
// what they allocate (a collection keeps every account it reads), so the young generation grows
// to that size and its collections spend their time copying survivors into fresh pages: every
// 4 KiB page touched for the first time is a page fault, and on virtual machines a fault costs
// about as much as normalizing one account. The size limit itself (--max-semi-space-size) is
// read at start-up only; the growth factor is read each time V8 considers growing, so growth is
// stopped (factor 1) once the young generation has reached the limit, checked after each garbage
// collection. Not held at its starting size (1 MiB semi-spaces): that promoted short-lived
// objects of large file collections and cost them 10-20% more CPU (bench/cloud/README.md).
//
// The check runs between turns of the event loop, so a long synchronous stretch may grow the
// young generation past the limit before it is stopped; credgov's large workloads are
// asynchronous (streamed files, paged calls). test/young-generation.test.ts fails if this Node
// no longer honours the flag.
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

/** The young generation's size (both semi-spaces) at which its growth is stopped. */
export const youngGenerationLimitBytes = 32 * 2 ** 20;

let held = false;

export function holdYoungGenerationSize(): void {
  if (held) return;
  held = true;
  const observer = new PerformanceObserver(() => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
    if (young === undefined || young.space_size < youngGenerationLimitBytes) return;
    setFlagsFromString("--semi-space-growth-factor=1");
    observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}
