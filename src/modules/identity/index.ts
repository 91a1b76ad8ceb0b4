import type { Module } from '../../platform/kernel.ts';
import { AuthService } from './identity.auth.ts';
import { identityPermissions } from './identity.permissions.ts';
import { identityRoutes } from './identity.routes.ts';
import { IdentityService } from './identity.service.ts';
import { seedDemo } from './identity.seed.ts';

export { AuthService } from './identity.auth.ts';
export {
  Directory,
  type DirectoryMember,
  type DirectoryOrganisation,
  type DirectoryPerson,
  type DirectoryUnit,
  lineManagersOf,
  unitSubtree,
} from './identity.directory.ts';
export { IdentityService } from './identity.service.ts';
export { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_USERS } from './identity.seed.ts';

export const identityModule: Module = {
  name: 'identity',
  permissions: identityPermissions,
  routes: (r, k) => identityRoutes(r, k, AuthService.for(k), new IdentityService(k)),
  seedDemo,
  jobs: (k) => [
    {
      name: 'identity.cleanup',
      run: async (_payload, ctx) =>
        ctx.log.info(await AuthService.for(k).cleanup(), 'expired credentials removed'),
    },
  ],
  schedules: [{ name: 'identity.cleanup', cron: '17 3 * * *' }],
};
