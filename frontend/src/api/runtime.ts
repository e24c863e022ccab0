// Small helpers shared by the modules that wrap the Go side's events.

/** Reports whether v is a non-null object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Subscribes cb to the Go side's event name, passing only payloads accept
 * admits; returns an idempotent unsubscribe. Outside Wails it does nothing.
 */
export function on<T>(
  name: string,
  accept: (v: unknown) => v is T,
  cb: (v: T) => void,
): () => void {
  const rt = window.runtime;
  if (!rt) return () => {};
  const off = rt.EventsOn(name, (data: unknown) => {
    if (accept(data)) cb(data);
  });
  let done = false;
  return () => {
    if (done) return;
    done = true;
    off();
  };
}
