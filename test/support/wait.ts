/** Polls `f` every 20 ms until it returns something truthy; throws after `ms` with `detail()` (logs) in the message. */
export async function waitFor<T>(what: string, f: () => T | undefined | false | null, ms = 20000, detail?: () => string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting for ' + what + (detail ? '\n' + detail() : ''));
    await new Promise((r) => setTimeout(r, 20));
  }
}
