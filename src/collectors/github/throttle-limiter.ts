// The limiters octokit's throttling plugin schedules a collector's requests through, in place of
// its Bottleneck defaults. Bottleneck starts every job from a timer (at least 1 ms even with no
// pause), and the plugin passes each request through two of them (its retry limiter, then the
// global group): milliseconds of latency and about 0.6 ms of CPU per request, for a reader that
// needs only a concurrency limit. This class offers the part of Bottleneck's interface the plugin
// uses: `key()` (one limiter for every key), `schedule([options,] fn, ...args)` with jobs of
// weight 0 (the plugin's retries) not counted against the limit, and `on("failed")`, whose
// listeners may answer a delay in ms after which the job runs again, as Bottleneck does: that is
// how the plugin waits out primary and secondary rate limits.
import { ConcurrencyLimit } from "../concurrency-limit.ts";

type FailedListener = (error: unknown, info: { args: unknown[]; options: JobOptions; retryCount: number }) => unknown;

interface JobOptions {
  weight?: number;
  priority?: number;
}

export class ThrottleLimiter {
  readonly #limit: ConcurrencyLimit | undefined;
  readonly #failed: FailedListener[] = [];

  /** `maxConcurrent` undefined: no limit (the plugin's retry limiter). */
  constructor(maxConcurrent?: number) {
    this.#limit = maxConcurrent === undefined ? undefined : new ConcurrencyLimit(maxConcurrent);
  }

  /** Bottleneck.Group's per-key limiter: a reader has one key. */
  key(_id?: string): this {
    return this;
  }

  on(event: string, listener: FailedListener): void {
    if (event === "failed") this.#failed.push(listener);
  }

  schedule(...input: unknown[]): Promise<unknown> {
    const options = (typeof input[0] === "function" ? {} : input.shift()) as JobOptions;
    const [fn, ...args] = input as [(...a: unknown[]) => Promise<unknown>, ...unknown[]];
    return this.#run(options, fn, args);
  }

  async #run(options: JobOptions, fn: (...a: unknown[]) => Promise<unknown>, args: unknown[]): Promise<unknown> {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return this.#limit && options.weight !== 0 ? await this.#limit.run(() => fn(...args)) : await fn(...args);
      } catch (error) {
        const wait = await this.#retryAfter(error, { args, options, retryCount });
        if (wait === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** Bottleneck's rule: the first listener answer that is not null or undefined; a throwing listener answers nothing. */
  async #retryAfter(error: unknown, info: { args: unknown[]; options: JobOptions; retryCount: number }): Promise<number | undefined> {
    const answers = await Promise.all(
      this.#failed.map(async (listener) => {
        try {
          return await listener(error, info);
        } catch {
          return undefined;
        }
      }),
    );
    const answer = answers.find((a) => a !== null && a !== undefined);
    return answer === undefined ? undefined : ~~(answer as number);
  }
}
