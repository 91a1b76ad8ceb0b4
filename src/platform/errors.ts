// One error type with a closed list of codes. The UI maps codes to translated messages
// (locales/*.json → errors.<CODE>), the server renders them once as RFC 9457 problem+json.
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_ENCODING: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  MFA_REQUIRED: 401,
  INVALID_MFA_CODE: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ProblemDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ProblemDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? code);
    this.status = ERROR_CODES[code];
  }
}

/**
 * A 400 naming each field a schema refused (zod's issues), for input checked after the route's
 * contract: form fields, a JSON field of a form, settings a CLI builds. `lead` opens the message
 * ("The form fields are not valid"); each path is put under `prefix` ("fields").
 */
export function validationFailed(
  lead: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = '',
): AppError {
  const details = issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((x) => x !== '').join('.'),
    message: i.message,
  }));
  return new AppError(
    'VALIDATION_FAILED',
    `${lead}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You do not have the permission for this action') =>
  new AppError('FORBIDDEN', message);
