import { useCallback } from 'react';
import { api } from '../api';

/**
 * Signs out (this session, or every session) and loads the sign-in page afresh. A full page
 * load, not client-side navigation: it drops everything the signed-in app held in memory,
 * and no page renders for a moment without its user.
 */
export function useSignOut() {
  return useCallback(async (everywhere = false) => {
    try {
      await api.post(everywhere ? '/api/auth/logout-all' : '/api/auth/logout', undefined, {
        authRedirect: false,
      });
    } catch {
      // Already signed out, or the server is unreachable: leave the page anyway.
    }
    window.location.assign('/login');
  }, []);
}
