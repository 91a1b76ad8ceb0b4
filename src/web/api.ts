import i18next from 'i18next';
import { currentLanguage, serverText } from './i18n';

// Typed fetch client for /api. Every request carries X-Requested-With (the server's CSRF
// defence on mutations) and same-origin cookies. Errors are RFC 9457 problem+json.

export interface ProblemError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  errors?: ProblemError[];
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Set false where a 401 is an expected answer (sign-in, /api/me), not a lost session. */
  authRedirect?: boolean;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {
  if (!window.location.pathname.startsWith('/login')) window.location.assign('/login');
};

/** The app installs a router-aware handler (keeps the current page as `next`). */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'string';
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, authRedirect = true } = options;
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'X-Requested-With': 'arusha',
    'Accept-Language': currentLanguage(),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'NETWORK', detail: String(err) });
  }
  const text = res.status === 204 ? '' : await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && authRedirect) onUnauthenticated();
    throw new ApiError(toProblem(data, res.status, res.statusText));
  }
  return data as T;
}

function toProblem(data: unknown, status: number, statusText: string): Problem {
  return isProblem(data)
    ? { ...data, status: data.status ?? status }
    : { status, code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', title: statusText };
}

/**
 * Sends one file as multipart/form-data (part `file`, plus text `fields`), with upload progress
 * (XMLHttpRequest: fetch reports none). Answers and errors as `request()`'s.
 */
export function upload<T>(
  path: string,
  file: File,
  options: { fields?: Record<string, string>; onProgress?: (share: number) => void } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-Requested-With', 'arusha');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', currentLanguage());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'NETWORK', detail: 'upload failed' }));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      if (xhr.status === 401) onUnauthenticated();
      reject(new ApiError(toProblem(data, xhr.status, xhr.statusText)));
    };
    const body = new FormData();
    for (const [k, v] of Object.entries(options.fields ?? {})) body.append(k, v);
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'DELETE' }),
};

/** A list endpoint's envelope. */
export interface Items<T> {
  items: T[];
}

/** The message to show for an error: the translated code, else the server's detail. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'NETWORK') return i18next.t('errors.network');
    return (
      serverText(`errors.${err.code}`) ??
      err.problem.detail ??
      err.problem.title ??
      i18next.t('errors.generic')
    );
  }
  if (err instanceof Error) return err.message;
  return i18next.t('errors.generic');
}

export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}
