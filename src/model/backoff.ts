// Waiting between attempts: exponential backoff that an abort cuts short.

/** Delay before attempt `next` (2, 3, …): base, 2×base, 4×base… */
export function backoffDelay(next: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, next - 2);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (finished: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(finished);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
