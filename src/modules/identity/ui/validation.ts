import type { TFunction } from 'i18next';

// Client-side checks mirroring identity.contract.ts, with translated messages. The server
// validates again; its VALIDATION_FAILED details are mapped onto the form fields.

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(t: TFunction, value: string): string | null {
  if (!value.trim()) return t('validation.required');
  return EMAIL_PATTERN.test(value.trim()) ? null : t('validation.email');
}

export function passwordError(t: TFunction, value: string): string | null {
  if (value.length < 12) return t('validation.passwordLength', { count: 12 });
  if (value.length > 256) return t('validation.passwordTooLong', { count: 256 });
  if (new Set(value).size < 6) return t('validation.passwordVariety', { count: 6 });
  return null;
}

export function requiredError(t: TFunction, value: string): string | null {
  return value.trim() ? null : t('validation.required');
}
