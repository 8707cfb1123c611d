/**
 * RFC 9457 problem details turned into an Error whose message a person can read.
 * Every API 4xx/5xx is problem+json; anything else (a proxy's HTML 502, a network failure)
 * still becomes an ApiError so callers handle one type.
 */
export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly errors: FieldErrors;
  /** The problem's `type` URI (…/problems/video-private): tells apart answers that share a status. */
  readonly type: string | null;

  constructor(status: number, title: string, detail: string | null = null, errors: FieldErrors = {}, type: string | null = null) {
    super(composeMessage(status, title, detail, errors));
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
    this.type = type;
  }

  /** Whether the problem's type ends in this kind (`video-private`), whatever the base URI. */
  isKind(kind: string): boolean {
    return this.type !== null && (this.type === kind || this.type.endsWith(`/${kind}`));
  }
}

function composeMessage(status: number, title: string, detail: string | null, errors: FieldErrors): string {
  const fieldLines = Object.entries(errors).flatMap(([field, messages]) =>
    messages.map((m) => (field ? `${field}: ${m}` : m)),
  );
  const head = detail && detail !== title ? `${title}: ${detail}` : title || `HTTP ${status}`;
  return fieldLines.length ? `${head} (${fieldLines.join('; ')})` : head;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): FieldErrors {
  if (!isRecord(value)) return {};
  const out: FieldErrors = {};
  for (const [key, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) out[key] = messages.map(String);
    else if (typeof messages === 'string') out[key] = [messages];
  }
  return out;
}

const FALLBACK_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  429: 'Too many requests',
  500: 'Server error',
  502: 'Server unreachable',
  503: 'Service unavailable',
};

/** Builds an ApiError from a response body (already read as text) and its status. */
export function problemFromBody(status: number, contentType: string | null, bodyText: string): ApiError {
  const fallback = FALLBACK_TITLES[status] ?? `HTTP ${status}`;
  if (contentType?.includes('json') && bodyText) {
    try {
      const body: unknown = JSON.parse(bodyText);
      if (isRecord(body)) {
        const title = typeof body.title === 'string' && body.title ? body.title : fallback;
        const detail = typeof body.detail === 'string' && body.detail ? body.detail : null;
        const type = typeof body.type === 'string' && body.type ? body.type : null;
        return new ApiError(status, title, detail, readFieldErrors(body.errors), type);
      }
    } catch {
      // Not JSON after all: fall through to the generic message.
    }
  }
  return new ApiError(status, fallback, null);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
