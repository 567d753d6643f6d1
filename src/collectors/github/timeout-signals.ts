// Timeout signals for a client's request attempts, all with the same timeout, from one timer.
// AbortSignal.timeout arms a timer of its own for every call, which costs about as much CPU per
// request as octokit's whole endpoint templating and lengthens each request under load
// (measured against the fixture server, bench/cloud/README.md). Attempts here share one
// timeout, so their deadlines come in order: one timer, armed for the earliest deadline,
// aborts every signal whose time is up with the reason AbortSignal.timeout gives (a
// DOMException named TimeoutError), so callers see the same error. A signal is aborted at its
// deadline even when its request has long finished: that is harmless (a finished fetch ignores
// it), and it is what lets a body read that stalls after the headers time out as well.
export class TimeoutSignals {
  readonly #ms: number;
  readonly #pending: { deadline: number; controller: AbortController }[] = [];
  /** Index of the first signal not yet aborted (the array is compacted now and then). */
  #head = 0;
  /** Whether the timer is set (for the earliest deadline not yet reached). */
  #armed = false;

  constructor(timeoutMs: number) {
    this.#ms = timeoutMs;
  }

  /** A signal aborted `timeoutMs` from now. */
  signal(): AbortSignal {
    const controller = new AbortController();
    this.#pending.push({ deadline: performance.now() + this.#ms, controller });
    if (!this.#armed) this.#arm();
    return controller.signal;
  }

  #arm(): void {
    this.#armed = true;
    // Unreferenced, as AbortSignal.timeout's timer is: an open request keeps the process alive.
    setTimeout(() => this.#expire(), Math.max(1, this.#pending[this.#head].deadline - performance.now())).unref();
  }

  #expire(): void {
    const now = performance.now();
    const first = this.#head;
    while (this.#head < this.#pending.length && this.#pending[this.#head].deadline <= now) this.#head++;
    const expired = this.#pending.slice(first, this.#head);
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
    this.#armed = false;
    if (this.#head < this.#pending.length) this.#arm();
    for (const { controller } of expired) controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  }
}
