/**
 * Rate limiters count per clock minute (the memory limiter and Cloudflare's binding alike): a burst
 * that straddles a minute's end is counted in two windows, and the request meant to be over the
 * limit passes. Tests that fill a limit call this first, so the burst fits inside one window.
 */
export async function awayFromWindowEdge(windowMs = 60_000, marginMs = 5_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
