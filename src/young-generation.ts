// V8's young generation held at its starting size (two 1 MiB semi-spaces) for the whole run.
//
// V8 doubles the young generation each time more bytes survived its collections than it holds,
// up to 64 MiB semi-spaces on a machine with 16 GiB or more. credgov's commands keep most of
// what they allocate (a collection keeps every account it reads, `policy test` its compiled
// modules), so the young generation grows to that size and its collections spend their time
// copying survivors into fresh pages: every 4 KiB page touched for the first time is a page
// fault, and on virtual machines a fault costs about as much as normalizing one account. Held
// small, the same few pages are reused and survivors reach the old generation after one copy.
// Measured with the cloud bench's Entra collection (100,000 users, bench/cloud/README.md):
// 77,000-81,000 page faults and 413-430 MiB peak against 52,000-54,000 and 309-313 MiB, main
// thread CPU 2.99-3.20 s against 2.34-2.51 s.
//
// The flag is read each time V8 considers growing the young generation, so setting it once the
// process runs takes effect (the size limits are read at start-up only). An unknown flag would
// only print a warning; test/young-generation.test.ts fails if this Node ignores it.
import { setFlagsFromString } from "node:v8";

const youngGenerationFlag = "--semi-space-growth-factor=1";

export function holdYoungGenerationSize(): void {
  setFlagsFromString(youngGenerationFlag);
}
