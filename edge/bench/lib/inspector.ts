/**
 * A CPU profile of a running Node process over exactly the window we choose, through its V8
 * inspector (started with --inspect=127.0.0.1:0): start-up work stays out of the picture.
 */
export async function profileWindow(inspectorUrl: string, during: () => Promise<void>, samplingIntervalUs = 200) {
  const ws = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot connect to ${inspectorUrl}`)), { once: true });
  });
  let nextId = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  const send = <T>(method: string, params?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
    await send("Profiler.start");
    await during();
    const { profile } = await send<{ profile: { nodes: never[]; samples: number[]; timeDeltas: number[] } }>(
      "Profiler.stop",
    );
    return profile;
  } finally {
    ws.close();
  }
}
