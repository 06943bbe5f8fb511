/**
 * An HTTP-level fake of OpenAI's chat completions API on 127.0.0.1: `POST /v1/chat/completions`
 * answered in OpenAI's real shape. By default it answers 500 with OpenAI's error body (a test
 * scripts what it expects with `respondWith([...])`, e.g. `completion("text")`).
 */
import { fakeForFile } from "./for-file";
import { parseJsonBody, startScriptedServer, type ScriptedRequest, type ScriptedResponse, type ScriptedServer } from "./scripted-server";

export type ChatRequestBody = { model: string; max_tokens?: number; temperature?: number; response_format?: unknown; messages: { role: string; content: string }[] };
export interface FakeOpenAiRequest extends ScriptedRequest {
  body: ChatRequestBody;
}

/** A chat completion whose one choice says `content`. */
export function completion(content: string): ScriptedResponse {
  return {
    status: 200,
    body: {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 1_764_400_000,
      model: "gpt-4o-mini",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
    },
  };
}

/** OpenAI's error body. */
export function openAiError(status: number, message: string, type = "server_error"): ScriptedResponse {
  return { status, body: { error: { message, type, param: null, code: null } } };
}

export function startFakeOpenAi(): Promise<ScriptedServer<FakeOpenAiRequest>> {
  return startScriptedServer<FakeOpenAiRequest>({
    apiPrefix: "/v1",
    contentType: "application/json",
    readBody: true,
    toRequest: (incoming) => ({ method: incoming.method, path: incoming.path, headers: incoming.headers, body: parseJsonBody(incoming.body) as ChatRequestBody }),
    defaultResponse: () => openAiError(500, "The fake has no answer scripted for this request."),
  });
}

/** The fake for a whole test file (fakes/for-file.ts). */
export const fakeOpenAiForFile = () => fakeForFile(startFakeOpenAi);
