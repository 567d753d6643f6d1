// One contender for a dead run's lock (test/io/output-lock.test.ts): says it is ready, waits for
// the start signal, tries to lock the folder, says what happened, and holds a won lock until the
// test has heard from every contender.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { lockOutputFolder } from "../../src/io/output-lock.ts";

const [dir, signals] = process.argv.slice(2);
writeFileSync(join(signals, `ready-${process.pid}`), "");
while (!existsSync(join(signals, "go"))) await sleep(1);
try {
  const lock = await lockOutputFolder(dir);
  process.stdout.write("won\n");
  while (!existsSync(join(signals, "done"))) await sleep(5);
  await lock.release();
} catch (error) {
  process.stdout.write(`lost: ${(error as Error).message}\n`);
}
