import { ApiError } from '../api';

/**
 * Puts a VALIDATION_FAILED problem's details on the matching form fields (paths such as
 * `body.password` → `password`). Returns true when at least one field got a message.
 */
export function applyFieldErrors(
  form: { setFieldError: (path: string, error: string) => void },
  fields: readonly string[],
  err: unknown,
): boolean {
  if (!(err instanceof ApiError) || !err.problem.errors) return false;
  let applied = false;
  for (const d of err.problem.errors) {
    const field = d.path.split(/[./]/).filter(Boolean).at(-1);
    if (field && fields.includes(field)) {
      form.setFieldError(field, d.message);
      applied = true;
    }
  }
  return applied;
}
