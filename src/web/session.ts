import { queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { ApiError, api } from './api';
import type { Health, MeT } from './types';

/** The signed-in user, or null when signed out (GET /api/me answers 401). */
export const meQuery = queryOptions({
  queryKey: ['me'] as const,
  queryFn: async ({ signal }): Promise<MeT | null> => {
    try {
      return await api.get<MeT>('/api/me', { signal, authRedirect: false });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  staleTime: 60_000,
});

export const healthQuery = queryOptions({
  queryKey: ['health'] as const,
  queryFn: ({ signal }) => api.get<Health>('/api/health', { signal, authRedirect: false }),
  staleTime: 5 * 60_000,
  retry: false,
});

/** Inside the signed-in layout: the route guarantees `me` is loaded. */
export function useMe(): MeT {
  const { data } = useSuspenseQuery(meQuery);
  if (!data) throw new Error('useMe() outside the signed-in layout');
  return data;
}

export function useOptionalMe(): MeT | null | undefined {
  return useQuery(meQuery).data;
}

export function hasPermission(me: MeT | null | undefined, permission: string | undefined): boolean {
  if (!permission) return true;
  return !!me?.permissions.includes(permission);
}

export function useCan(permission: string): boolean {
  return hasPermission(useMe(), permission);
}

export function useHealth() {
  return useQuery(healthQuery);
}

/** The development-only tools (outbox) are shown when the server runs with demo data. */
export function isDevelopment(health: Health | undefined): boolean {
  return !!health && (health.demo === true || health.environment === 'development');
}
