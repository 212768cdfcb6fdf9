/**
 * One typed client per platform service, and `createUpstreams` to build all nine from their URLs.
 * Each method is one documented endpoint (docs/upstreams.md); paths are built with encoded ids.
 */
import type { Clock } from "../deps.ts";
import { systemClock } from "../deps.ts";
import { ServiceTokenRejectedError } from "./errors.ts";
import {
  AssistantAnswer,
  AssistantQuestions,
  Attempts,
  Course,
  CourseAssignments,
  Courses,
  DirectoryUser,
  DirectoryUserPage,
  Enrollments,
  LabSessions,
  LearningPath,
  Logins,
  Organizations,
  Progress,
  Skills,
  VerifiedUser,
} from "./schemas.ts";
import {
  type CallOptions,
  createServiceCaller,
  type LogSink,
  type ResilienceOptions,
  type ServiceCaller,
  type ServiceHealth,
} from "./service-caller.ts";
import { createServiceTokenSource, type ServiceTokenSource } from "./service-token.ts";

export const UPSTREAM_SERVICES = [
  "auth",
  "directory",
  "course",
  "content",
  "assessment",
  "skills",
  "learnerAi",
  "devlab",
  "rag",
] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

/** What people call each service, for answers and logs an operator reads. */
export const UPSTREAM_SERVICE_NAMES: Record<UpstreamService, string> = {
  auth: "Auth",
  directory: "Directory",
  course: "Course Builder",
  content: "Content Studio",
  assessment: "Assessment",
  skills: "Skills Engine",
  learnerAi: "Learner AI",
  devlab: "DevLab",
  rag: "RAG Assistant",
};

const seg = encodeURIComponent;

function authClient(call: ServiceCaller) {
  return {
    /**
     * The user behind these credentials, or null when they do not match (401). A 401 whose
     * WWW-Authenticate says `invalid_token` rejected MS8's service token, not the password: that
     * is MS8 misconfigured (SERVICE_SECRET), thrown as a ServiceTokenRejectedError.
     */
    async verify(email: string, password: string, options?: CallOptions) {
      const answer = await call.post("/api/v1/auth/verify", { email, password }, VerifiedUser, {
        ...options,
        acceptStatuses: [400, 401, 403, 404],
      });
      if (answer.status === 401 && /invalid_token/i.test(answer.challenge ?? "")) {
        throw new ServiceTokenRejectedError("auth");
      }
      return answer.body;
    },
    logins: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/logins`, Logins, { ...options, nullOn404: true }),
  };
}

function directoryClient(call: ServiceCaller) {
  return {
    user: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}`, DirectoryUser, { ...options, nullOn404: true }),
    orgUsers: (
      orgId: string,
      query: { role?: string; cursor?: string; limit?: number } = {},
      options?: CallOptions,
    ) => {
      const params = new URLSearchParams();
      if (query.role) params.set("role", query.role);
      if (query.cursor) params.set("cursor", query.cursor);
      if (query.limit) params.set("limit", String(query.limit));
      const search = params.size ? `?${params}` : "";
      return call.get(`/api/v1/orgs/${seg(orgId)}/users${search}`, DirectoryUserPage, { ...options, nullOn404: true });
    },
    courseAssignments: (orgId: string, options?: CallOptions) =>
      call.get(`/api/v1/orgs/${seg(orgId)}/course-assignments`, CourseAssignments, { ...options, nullOn404: true }),
    organizations: (options?: CallOptions) => call.get("/api/v1/orgs", Organizations, options),
  };
}

function courseClient(call: ServiceCaller) {
  return {
    course: (courseId: string, options?: CallOptions) =>
      call.get(`/api/v1/courses/${seg(courseId)}`, Course, { ...options, nullOn404: true }),
    courses: (orgId: string, options?: CallOptions) =>
      call.get(`/api/v1/courses?orgId=${seg(orgId)}`, Courses, options),
    enrollments: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/enrollments?userId=${seg(userId)}`, Enrollments, options),
  };
}

function contentClient(call: ServiceCaller) {
  return {
    progress: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/progress`, Progress, { ...options, nullOn404: true }),
  };
}

function assessmentClient(call: ServiceCaller) {
  return {
    attempts: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/attempts`, Attempts, { ...options, nullOn404: true }),
  };
}

function skillsClient(call: ServiceCaller) {
  return {
    skills: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/skills`, Skills, { ...options, nullOn404: true }),
  };
}

function learnerAiClient(call: ServiceCaller) {
  return {
    learningPath: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/learning-path`, LearningPath, { ...options, nullOn404: true }),
  };
}

function devlabClient(call: ServiceCaller) {
  return {
    sessions: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/sessions`, LabSessions, { ...options, nullOn404: true }),
  };
}

function ragClient(call: ServiceCaller) {
  return {
    questions: (userId: string, options?: CallOptions) =>
      call.get(`/api/v1/users/${seg(userId)}/questions`, AssistantQuestions, { ...options, nullOn404: true }),
    async ask(question: string, options?: CallOptions) {
      return (await call.post("/api/v1/query", { question }, AssistantAnswer, options)).body!;
    },
  };
}

export interface Upstreams {
  auth: ReturnType<typeof authClient>;
  directory: ReturnType<typeof directoryClient>;
  course: ReturnType<typeof courseClient>;
  content: ReturnType<typeof contentClient>;
  assessment: ReturnType<typeof assessmentClient>;
  skills: ReturnType<typeof skillsClient>;
  learnerAi: ReturnType<typeof learnerAiClient>;
  devlab: ReturnType<typeof devlabClient>;
  rag: ReturnType<typeof ragClient>;
  /** Breaker state and last failure per service, for /health. */
  health(): Record<UpstreamService, ServiceHealth>;
  /** The shared service token source (tests count its signatures). */
  tokens: ServiceTokenSource;
}

export interface UpstreamsConfig {
  urls: Record<UpstreamService, string>;
  serviceSecret: string;
  clock?: Clock;
  fetch?: typeof fetch;
  logger?: LogSink;
  /** Same for every service unless overridden per service. */
  resilience?: ResilienceOptions;
  resilienceByService?: Partial<Record<UpstreamService, ResilienceOptions>>;
}

export function createUpstreams(config: UpstreamsConfig): Upstreams {
  const tokens = createServiceTokenSource({ secret: config.serviceSecret, clock: config.clock ?? systemClock });
  const callers = Object.fromEntries(
    UPSTREAM_SERVICES.map((service) => [
      service,
      createServiceCaller({
        service,
        baseUrl: config.urls[service],
        tokens,
        fetch: config.fetch,
        logger: config.logger,
        resilience: { ...config.resilience, ...config.resilienceByService?.[service] },
      }),
    ]),
  ) as Record<UpstreamService, ServiceCaller>;
  return {
    auth: authClient(callers.auth),
    directory: directoryClient(callers.directory),
    course: courseClient(callers.course),
    content: contentClient(callers.content),
    assessment: assessmentClient(callers.assessment),
    skills: skillsClient(callers.skills),
    learnerAi: learnerAiClient(callers.learnerAi),
    devlab: devlabClient(callers.devlab),
    rag: ragClient(callers.rag),
    health: () =>
      Object.fromEntries(UPSTREAM_SERVICES.map((s) => [s, callers[s].health()])) as Record<
        UpstreamService,
        ServiceHealth
      >,
    tokens,
  };
}
