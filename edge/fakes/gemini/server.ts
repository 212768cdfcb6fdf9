/**
 * A stand-in for the Gemini API (generativelanguage.googleapis.com) on loopback, for tests that
 * drive the real `@google/genai` SDK at it with `httpOptions: { baseUrl }`. It speaks the REST
 * shape the SDK sends and parses: `POST /{v1,v1beta}/models/<model>:generateContent` with the key
 * in `x-goog-api-key`, answering `{candidates, usageMetadata}` or Google's `{error}` body.
 *
 * Each test scripts what the next requests get (a valid answer, broken JSON, an HTTP status, a
 * hang...) and reads back what the SDK sent, so privacy and "no call at all" can be asserted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What one generateContent request carried, as the fake understood it. */
export interface SeenRequest {
  apiVersion: string;
  model: string;
  apiKey: string | null;
  body: GenerateContentBody;
  /** System instruction text, joined. */
  systemText: string;
  /** Text of the user turns, joined. */
  userText: string;
}

export interface GenerateContentBody {
  contents?: { role?: string; parts?: { text?: string }[] }[];
  systemInstruction?: { parts?: { text?: string }[] };
  generationConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

export type FakeReply =
  /** A well-formed answer whose text is `JSON.stringify(value)`. */
  | { kind: "json"; value: unknown; tokensIn?: number; tokensOut?: number; delayMs?: number }
  /** A well-formed answer with this exact text (e.g. broken JSON). */
  | { kind: "text"; text: string; tokensIn?: number; tokensOut?: number; delayMs?: number }
  /** An HTTP error with Google's error body (429 RESOURCE_EXHAUSTED, 500 INTERNAL...). */
  | { kind: "status"; status: number; message?: string }
  /** Accept the request and never answer (until the fake closes). */
  | { kind: "hang" };

/** A fixed reply, or one computed from the request (e.g. echoing catalogue ids back). */
export type FakeScript = FakeReply | ((request: SeenRequest) => FakeReply);

export interface FakeGemini {
  /** Give this to `new GoogleGenAI({ httpOptions: { baseUrl } })`. */
  baseUrl: string;
  /** Every generateContent request received, in order. */
  requests: SeenRequest[];
  /** Queue replies for the next requests, in order; once empty, `fallbackReply` answers. */
  script(...replies: FakeScript[]): void;
  /** What requests get when the queue is empty (default: 503, so an unscripted call is visible). */
  setDefault(reply: FakeScript): void;
  reset(): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

const GENERATE_PATH = /^\/(v1|v1beta|v1alpha)\/models\/([^/:]+):generateContent$/;

export async function startFakeGemini(options: { port?: number } = {}): Promise<FakeGemini> {
  const queue: FakeScript[] = [];
  const requests: SeenRequest[] = [];
  let fallbackReply: FakeScript = { kind: "status", status: 503, message: "fake gemini: no reply scripted" };

  const server = createServer(async function answerGenerateContent(req, res) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = GENERATE_PATH.exec(url.pathname);
    if (req.method !== "POST" || !match) {
      return sendError(res, 404, `fake gemini: no route for ${req.method} ${url.pathname}`);
    }
    const apiKey = headerValue(req, "x-goog-api-key") ?? url.searchParams.get("key");
    if (!apiKey) return sendError(res, 403, "Method doesn't allow unregistered callers. Please use an API key.");
    let body: GenerateContentBody;
    try {
      body = JSON.parse(await readBody(req)) as GenerateContentBody;
    } catch {
      return sendError(res, 400, "Invalid JSON payload received.");
    }
    const seen: SeenRequest = {
      apiVersion: match[1] as string,
      model: decodeURIComponent(match[2] as string),
      apiKey,
      body,
      systemText: (body.systemInstruction?.parts ?? []).map((p) => p.text ?? "").join("\n"),
      userText: (body.contents ?? [])
        .filter((c) => c.role !== "model")
        .flatMap((c) => c.parts ?? [])
        .map((p) => p.text ?? "")
        .join("\n"),
    };
    requests.push(seen);
    const next = queue.shift() ?? fallbackReply;
    const reply = typeof next === "function" ? next(seen) : next;
    switch (reply.kind) {
      case "hang":
        return; // the socket stays open until the client gives up or the fake closes
      case "status":
        return sendError(res, reply.status, reply.message ?? `fake gemini: scripted ${reply.status}`);
      case "json":
      case "text": {
        const text = reply.kind === "json" ? JSON.stringify(reply.value) : reply.text;
        const tokensIn = reply.tokensIn ?? estimateTokens(seen.systemText + seen.userText);
        const tokensOut = reply.tokensOut ?? estimateTokens(text);
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        return sendJson(res, 200, {
          candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
          usageMetadata: {
            promptTokenCount: tokensIn,
            candidatesTokenCount: tokensOut,
            totalTokenCount: tokensIn + tokensOut,
          },
          modelVersion: seen.model,
          responseId: `fake-${requests.length}`,
        });
      }
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => void queue.push(...replies),
    setDefault: (reply) => {
      fallbackReply = reply;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // hung requests included
        server.close(() => resolve());
      }),
  };
}

/** Roughly four characters a token, as Google documents for English text. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } });
}

/**
 * A plausible, well-formed answer to MS8's own prompts, for running the stack "with AI" locally:
 * recommendations pick the first catalogue courses offered, texts use every placeholder offered.
 */
export function demoReply(request: SeenRequest): FakeReply {
  let data: { count?: number; catalogue?: { courseId: string; title: string }[]; placeholders?: object };
  try {
    data = JSON.parse(request.userText);
  } catch {
    return { kind: "status", status: 400, message: "fake gemini (demo): expected MS8's JSON prompt" };
  }
  if (data.catalogue) {
    const items = data.catalogue.slice(0, data.count ?? 5).map((course, i) => ({
      courseId: course.courseId,
      reasoning: `${course.title} is the next step for the skills your role needs.`,
      expectedOutcomes: [`Confidence with ${course.title}`],
      priority: Math.min(5, i + 1),
    }));
    return { kind: "json", value: { items } };
  }
  const names = Object.keys(data.placeholders ?? {});
  const text = `In short (demo answer): ${names.map((n) => `${n.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)} is {${n}}`).join("; ")}.`;
  return { kind: "json", value: { text } };
}

// `node edge/fakes/gemini/server.ts [port] [--demo]`: for manual runs. Without --demo every answer
// is a 503 (MS8 falls back); with it, `demoReply` answers (set GEMINI_BASE_URL to the printed URL).
if (import.meta.main) {
  const args = process.argv.slice(2);
  const fake = await startFakeGemini({ port: Number(args.find((a) => /^\d+$/.test(a)) ?? 0) });
  if (args.includes("--demo")) fake.setDefault(demoReply);
  console.log(JSON.stringify({ level: "info", msg: "fake gemini listening", baseUrl: fake.baseUrl }));
}
