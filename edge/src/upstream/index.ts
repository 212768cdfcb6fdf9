export {
  createUpstreams,
  UPSTREAM_SERVICES,
  UPSTREAM_URL_ENV,
  type UpstreamService,
  type Upstreams,
  type UpstreamsConfig,
  upstreamUrlsFrom,
} from "./clients.ts";
export { UpstreamError, type UpstreamFailure } from "./errors.ts";
export { createIdentity } from "./identity.ts";
export type { LogSink, ResilienceOptions, ServiceHealth } from "./service-caller.ts";
