export {
  createUpstreams,
  UPSTREAM_SERVICES,
  type UpstreamService,
  type Upstreams,
  type UpstreamsConfig,
} from "./clients.ts";
export { UpstreamError, type UpstreamFailure } from "./errors.ts";
export { createIdentity } from "./identity.ts";
export type { LogSink, ResilienceOptions, ServiceHealth } from "./service-caller.ts";
