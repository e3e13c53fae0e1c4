/**
 * A bounded wait for something that happens on its own (a row written after the response,
 * a process coming up, a log line flushed): polls `probe` until it answers something
 * truthy, or fails after `timeoutMs` naming what it waited for. Never a fixed sleep: it
 * returns as soon as the condition holds. To show that nothing happened, wait for the job
 * runner instead (`await tessera.jobs.whenIdle()`).
 */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
