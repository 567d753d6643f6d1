// Progress display for long collections (cli-progress): one line on stderr per source showing
// the current step and items read, with a bar when the step's total is known. Off when stderr
// is not a terminal or with --quiet, so logs and CI output stay clean.
import cliProgress from "cli-progress";
import type { CollectionProgress } from "../collectors/collector.ts";

export interface ProgressDisplay {
  /** Progress sink for one source; call done() when the source finishes. */
  forSource(sourceId: string): CollectionProgress & { done(): void };
  stop(): void;
}

const silent: CollectionProgress & { done(): void } = { step() {}, tick() {}, done() {} };

export function createProgressDisplay(interactive: boolean, stream: NodeJS.WritableStream = process.stderr): ProgressDisplay {
  if (!interactive) return { forSource: () => silent, stop() {} };
  const multi = new cliProgress.MultiBar({
    stream: stream as NodeJS.WriteStream,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
    format: (options, params, payload: { source: string; step: string }) => {
      const head = `${payload.source} ${payload.step}`;
      if (params.total > 0) {
        const size = options.barsize ?? 30;
        const filled = Math.round(Math.min(1, params.progress) * size);
        return `${head} [${"#".repeat(filled)}${"-".repeat(size - filled)}] ${params.value}/${params.total}`;
      }
      return `${head} ${params.value} items`;
    },
  });
  return {
    forSource(sourceId) {
      const bar = multi.create(0, 0, { source: sourceId, step: "starting" });
      let value = 0;
      let started = false;
      return {
        step(name, total) {
          // Draw the finished step's final count before the line moves on to the next step.
          if (started) multi.update();
          started = true;
          value = 0;
          bar.setTotal(total ?? 0);
          bar.update(0, { source: sourceId, step: name });
        },
        tick(count = 1) {
          value += count;
          bar.update(value);
        },
        done() {
          multi.update();
          multi.remove(bar);
        },
      };
    },
    stop() {
      multi.stop();
    },
  };
}
