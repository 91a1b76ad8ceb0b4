import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { api } from '../api';
import { meQuery } from '../session';

/** Signs out (this session, or every session) and returns to the sign-in page. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (everywhere = false) => {
      try {
        await api.post(everywhere ? '/api/auth/logout-all' : '/api/auth/logout', undefined, {
          authRedirect: false,
        });
      } catch {
        // Already signed out, or the server is unreachable: leave the page anyway.
      }
      queryClient.setQueryData(meQuery.queryKey, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'health' });
      await navigate({ to: '/login' });
    },
    [queryClient, navigate],
  );
}
