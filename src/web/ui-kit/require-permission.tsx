import type { ReactNode } from 'react';
import { useMe, hasPermission } from '../session';
import { Forbidden } from './page-state';

/** Renders the children only for users holding the permission (the server checks it too). */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string;
  children: ReactNode;
}): ReactNode {
  const me = useMe();
  return hasPermission(me, permission) ? children : <Forbidden />;
}

/** Renders the children only for platform administrators (the server checks it too). */
export function RequirePlatformAdmin({ children }: { children: ReactNode }): ReactNode {
  const me = useMe();
  return me.user.isPlatformAdmin ? children : <Forbidden />;
}
