// Opens the history in a fresh process and times per-control trend queries over it: the first
// query (cold connection) and the median of the following ones. Reports JSON on fd 3.
import { writeSync } from "node:fs";
import { controlTrend, openHistory } from "../../src/history/index.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// The heap setting every credgov command runs with (src/cli/main.ts).
holdYoungGenerationSize();

const [target, since, ...controls] = process.argv.slice(2);
const store = await openHistory({ target, field: "--history" });
const timings: number[] = [];
let points = 0;
for (let round = 0; round < 3; round++) {
  for (const control of controls) {
    const start = performance.now();
    const trend = await controlTrend(store, control, since);
    timings.push((performance.now() - start) / 1000);
    points = trend.length;
  }
}
await store.close();
const rest = timings.slice(1).sort((a, b) => a - b);
writeSync(3, JSON.stringify({ points, firstSeconds: timings[0], medianSeconds: rest[Math.floor(rest.length / 2)], maxSeconds: Math.max(...timings) }));
