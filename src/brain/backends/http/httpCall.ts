/**
 * One HTTP call to an engine (Ollama, an OpenAI-compatible server), bounded and named: every way it can fail comes
 * back as a BackendError whose code tells the brain what it means (not running, gone mid-answer, refused, slow), and
 * whose message never carries the token.
 */
import type { z } from 'zod';
import { BackendError, type BackendErrorCode, type BackendId } from '../ModelBackend';

export interface HttpTarget {
  engine: BackendId;
  /** For messages: "Ollama at http://127.0.0.1:11434". */
  label: string;
  /** No trailing slash; paths are appended as the engine documents them. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged, and cut out of any text a server sends back. */
  token: string | null;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Bound on the reply's headers and, for JSON, its body; a stream's silences are its reader's to bound. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** What Mai was doing, as a verb phrase: "list its models", "load llama3.2". */
  operation: string;
  /** The code for a refusal the engine explains itself (a 4xx/5xx other than 401, 403 and 404). */
  failureCode?: BackendErrorCode;
}

/** Socket-level failures that mean nothing listens there (or the host is off the network). */
const absentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** The text with the token cut out: a server may echo what it was sent. */
export function withoutToken(text: string, token: string | null): string {
  return token ? text.split(token).join('…') : text;
}

/** The engine's own words for a refusal: Ollama's `{"error": "…"}`, OpenAI's `{"error": {"message": "…"}}`. */
async function refusalText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error as { message?: unknown } | string | undefined;
    if (typeof error === 'string') return error;
    if (typeof error?.message === 'string') return error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: a proxy's page, or plain text; its start says enough.
  }
  return text.slice(0, 200) || response.statusText;
}

/** Whether a connection error's code means nothing is there (no server, no such host), not a fault of one. */
export function nothingListens(code: string): boolean {
  return absentCodes.has(code);
}

/** Nothing listens where the engine should be: `code` is the connection's refusal (ECONNREFUSED, …). */
export function notRunning(target: HttpTarget, code: string): BackendError {
  return new BackendError('not_running', `${target.label} is not running (nothing answers: ${code})`, target.engine);
}

/** Names a failed fetch for a person and for the brain. */
export function fetchFailure(
  target: HttpTarget,
  request: HttpRequest,
  error: unknown,
  timedOut: boolean,
): BackendError {
  const where = `${target.label} while Mai tried to ${request.operation}`;
  const named = (code: BackendErrorCode, message: string) =>
    new BackendError(code, withoutToken(message, target.token), target.engine, { cause: error });
  if (error instanceof BackendError) return error;
  if (request.signal?.aborted) return named('cancelled', `cancelled: ${where}`);
  if (timedOut)
    return named('timeout', `no answer within ${request.timeoutMs} ms from ${where}; it may be busy or stuck`);
  const code = causeCode(error);
  if (code && absentCodes.has(code)) return notRunning(target, code);
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return named('disconnected', `the connection to ${where} was lost (${reason})`);
}

/**
 * Sends the request and resolves with a 2xx response whose body is still to be read. The timeout covers the
 * headers only when `keepAlive` holds (a stream), headers and body otherwise (it is cleared by `done()`).
 */
export interface Sent {
  response: Response;
  /** Clears the timeout: the body has been read, or a stream's own watch takes over. */
  done(): void;
  /** Whether the timeout fired (an aborted body read is then a timeout, not a lost connection). */
  timedOut(): boolean;
}

export async function send(target: HttpTarget, request: HttpRequest): Promise<Sent> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  // A pending call must not keep a finished CLI command alive.
  timer.unref();
  const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  const headers: Record<string, string> = { accept: 'application/json, application/x-ndjson, text/event-stream' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  try {
    const response = await fetch(`${target.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      signal,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    if (!response.ok) throw await refusal(target, request, response);
    return { response, done: () => clearTimeout(timer), timedOut: () => timedOut };
  } catch (error) {
    clearTimeout(timer);
    throw fetchFailure(target, request, error, timedOut);
  }
}

async function refusal(target: HttpTarget, request: HttpRequest, response: Response): Promise<BackendError> {
  const said = withoutToken(await refusalText(response), target.token);
  const what = `${target.label} refused to ${request.operation} (HTTP ${response.status}: ${said})`;
  if (response.status === 401 || response.status === 403) {
    const hint = target.token ? 'its token was not accepted' : 'it wants a token: set token_file for it in hosts.yaml';
    return new BackendError('refused', `${what}; ${hint}`, target.engine);
  }
  if (response.status === 404) return new BackendError('not_found', what, target.engine);
  return new BackendError(request.failureCode ?? 'internal', what, target.engine);
}

/** A JSON call whose reply is checked against the engine's documented shape. */
export async function sendJson<T>(target: HttpTarget, request: HttpRequest, schema: z.ZodType<T>): Promise<T> {
  const { response, done, timedOut } = await send(target, request);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new BackendError(
        'internal',
        `${target.label} answered with something that is not JSON while Mai tried to ${request.operation}`,
        target.engine,
      );
    }
    throw fetchFailure(target, request, error, timedOut());
  } finally {
    done();
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new BackendError(
      'internal',
      `${target.label} answered in a shape Mai does not know while it tried to ${request.operation}: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      target.engine,
    );
  }
  return parsed.data;
}
