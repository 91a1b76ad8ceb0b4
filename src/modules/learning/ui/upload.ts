import { ApiError, type Problem } from '../../../web/api';
import { currentLanguage } from '../../../web/i18n';

/**
 * Sends one file as multipart/form-data (part `file`) with upload progress (XMLHttpRequest:
 * fetch has no upload progress). Errors are problem+json, like the API client's.
 */
export function uploadFile<T>(
  url: string,
  file: File,
  onProgress?: (share: number) => void,
  fields: Record<string, string> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-Requested-With', 'arusha');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', currentLanguage());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
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
      const p = data as Partial<Problem> | undefined;
      reject(
        new ApiError(
          p && typeof p.code === 'string'
            ? ({ ...p, status: p.status ?? xhr.status } as Problem)
            : {
                status: xhr.status,
                code: xhr.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
                title: xhr.statusText,
              },
        ),
      );
    };
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('file', file, file.name);
    xhr.send(body);
  });
}
