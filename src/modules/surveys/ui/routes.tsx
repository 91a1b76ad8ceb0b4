import type { AnyRoute } from '@tanstack/react-router';

export const surveysAppRoutes: AnyRoute[] = [];

/** Pages without sign-in (answering a survey by token or open link). */
export const surveysPublicRoutes: AnyRoute[] = [];
