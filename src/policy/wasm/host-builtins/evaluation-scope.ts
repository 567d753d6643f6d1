// Some builtins must give the same answer throughout one evaluation (time.now_ns, rand.intn,
// uuid.rfc4122) but the host has no evaluation context. SDK evaluation is synchronous, so a
// memo that is cleared at the next microtask lives exactly as long as the current evaluation.
const memo = new Map<string, unknown>();
let clearing = false;

export function perEvaluation<T>(key: string, make: () => T): T {
  if (memo.has(key)) return memo.get(key) as T;
  const value = make();
  memo.set(key, value);
  if (!clearing) {
    clearing = true;
    queueMicrotask(() => {
      memo.clear();
      clearing = false;
    });
  }
  return value;
}
