import type { AnyRoute } from '@tanstack/react-router';

export const learningAppRoutes: AnyRoute[] = [];
/** Pages without sign-in (certificate verification). */
export const learningPublicRoutes: AnyRoute[] = [];
