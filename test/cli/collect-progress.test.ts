import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { createProgressDisplay } from "../../src/cli/progress.ts";

/** A stream that claims to be a terminal and keeps what was drawn on it. */
function fakeTerminal(): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; text: () => string };
  stream.isTTY = true;
  stream.columns = 120;
  stream.text = () => chunks.join("");
  return stream;
}

describe("collection progress display", () => {
  it("draws the source, step and counts on a terminal", () => {
    const terminal = fakeTerminal();
    const display = createProgressDisplay(true, terminal);
    const progress = display.forSource("cloud");
    progress.step("users", 10);
    progress.tick(4);
    progress.tick();
    progress.step("applications");
    progress.tick(7);
    progress.done();
    display.stop();
    const text = terminal.text();
    expect(text).toContain("cloud users [");
    expect(text).toContain("] 5/10");
    expect(text).toContain("cloud applications 7 items");
  });

  it("draws nothing when stderr is not a terminal or --quiet is set", async () => {
    const terminal = fakeTerminal();
    const display = createProgressDisplay(false, terminal);
    const progress = display.forSource("cloud");
    progress.step("users", 10);
    progress.tick(5);
    await sleep(250);
    progress.done();
    display.stop();
    expect(terminal.text()).toBe("");
  });
});
