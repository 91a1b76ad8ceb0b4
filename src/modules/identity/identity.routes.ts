import { z } from 'zod';
import { Items, type Router } from '../../platform/http/route.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { AppError } from '../../platform/errors.ts';
import { t } from '../../platform/i18n/i18n.ts';
import * as C from './identity.contract.ts';
import { P } from './identity.permissions.ts';
import * as q from './identity.queries.ts';
import type { AuthService } from './identity.auth.ts';
import type { IdentityService } from './identity.service.ts';

const LOGIN_LIMIT = { max: 20, timeWindow: '1 minute' };

export function identityRoutes(r: Router, k: Kernel, auth: AuthService, svc: IdentityService) {
  // ---- sign-in ---------------------------------------------------------------------
  r.post({
    url: '/api/auth/login',
    access: 'public',
    summary: 'Sign in with e-mail and password',
    body: C.LoginInput,
    response: C.LoginResult,
    rateLimit: LOGIN_LIMIT,
    handler: async ({ body, reply }) => {
      const { token, mfaRequired } = await auth.login(body.email, body.password);
      auth.setCookie(reply, token);
      return { status: mfaRequired ? 'mfa_required' : 'ok' } as const;
    },
  });
  r.post({
    url: '/api/auth/totp',
    access: 'public',
    summary: 'Complete sign-in with a TOTP code or a recovery code',
    body: C.TotpInput,
    response: C.LoginResult,
    rateLimit: LOGIN_LIMIT,
    handler: async ({ body, req }) => {
      const token = auth.pendingSessionToken(req);
      if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in with your password first');
      await auth.verifySecondFactor(token, body.code);
      return { status: 'ok' } as const;
    },
  });
  r.post({
    url: '/api/auth/logout',
    access: 'public',
    summary: 'Sign out of this session',
    status: 204,
    handler: async ({ actor, reply }) => {
      if (actor?.sessionId) await auth.logout(actor.sessionId);
      auth.clearCookie(reply);
    },
  });
  r.post({
    url: '/api/auth/logout-all',
    access: 'authenticated',
    summary: 'Sign out everywhere: every session and API token of this user',
    status: 204,
    handler: async ({ actor, reply }) => {
      await auth.logoutEverywhere(actor!.userId);
      auth.clearCookie(reply);
    },
  });
  r.post({
    url: '/api/auth/password-reset/request',
    access: 'public',
    summary: 'E-mail a password reset link (same answer whether or not the account exists)',
    body: C.PasswordResetRequestInput,
    status: 202,
    response: z.object({ status: z.literal('sent-if-known') }),
    rateLimit: { max: 5, timeWindow: '1 minute' },
    handler: async ({ body, locale }) => {
      await auth.requestPasswordReset(body.email, locale);
      return { status: 'sent-if-known' } as const;
    },
  });
  r.post({
    url: '/api/auth/password-reset/confirm',
    access: 'public',
    summary: 'Set a new password with an e-mailed link',
    body: C.PasswordResetConfirmInput,
    status: 204,
    rateLimit: LOGIN_LIMIT,
    handler: async ({ body }) => auth.confirmPasswordReset(body.token, body.password),
  });
  r.post({
    url: '/api/invitations/accept',
    access: 'public',
    summary: 'Accept an invitation to an organisation',
    body: C.AcceptInvitationInput,
    response: z.object({ email: z.string() }),
    rateLimit: LOGIN_LIMIT,
    handler: async ({ body }) => {
      const r = await svc.acceptInvitation(body.token, body.name, body.password);
      auth.invalidate();
      return r;
    },
  });

  // ---- the signed-in user ------------------------------------------------------------
  r.get({
    url: '/api/me',
    access: 'authenticated',
    summary: 'The signed-in user, organisations and permissions',
    response: C.Me,
    handler: async ({ actor }) => svc.me(actor!),
  });
  r.patch({
    url: '/api/me',
    access: 'authenticated',
    summary: 'Update name or language',
    body: C.UpdateMeInput,
    response: C.Me,
    handler: async ({ actor, body }) => {
      await svc.updateMe(actor!, body);
      auth.invalidate(); // the cached actor carries the language
      return svc.me(actor!);
    },
  });
  r.post({
    url: '/api/me/organisation',
    access: 'authenticated',
    summary: 'Switch the active organisation',
    body: C.SwitchOrganisationInput,
    response: C.Me,
    handler: async ({ actor, body }) => {
      if (!actor!.sessionId) throw new AppError('FORBIDDEN', 'An API token is bound to one organisation');
      await auth.switchOrganisation(actor!.sessionId, actor!.userId, body.organisationId);
      return svc.me({ ...actor!, tenantId: body.organisationId });
    },
  });
  r.post({
    url: '/api/me/password',
    access: 'authenticated',
    summary: 'Change password (signs out other sessions)',
    body: C.ChangePasswordInput,
    status: 204,
    handler: async ({ actor, body }) =>
      auth.changePassword(actor!.userId, body.currentPassword, body.newPassword, actor!.sessionId),
  });
  r.post({
    url: '/api/me/totp/setup',
    access: 'authenticated',
    summary: 'Start two-factor set-up',
    response: C.TotpSetupResult,
    handler: async ({ actor }) => auth.startTotpSetup(actor!.userId),
  });
  r.post({
    url: '/api/me/totp/enable',
    access: 'authenticated',
    summary: 'Confirm two-factor set-up; returns recovery codes once',
    body: C.TotpEnableInput,
    response: C.RecoveryCodesResult,
    handler: async ({ actor, body }) => ({ recoveryCodes: await auth.enableTotp(actor!.userId, body.code) }),
  });
  r.post({
    url: '/api/me/totp/disable',
    access: 'authenticated',
    summary: 'Turn two-factor sign-in off',
    body: C.TotpDisableInput,
    status: 204,
    rateLimit: LOGIN_LIMIT,
    handler: async ({ actor, body }) => auth.disableTotp(actor!.userId, body.password),
  });
  r.get({
    url: '/api/me/tokens',
    access: 'authenticated',
    summary: 'My API tokens',
    response: Items(C.ApiToken),
    handler: async ({ actor }) => ({ items: await svc.listTokens(actor!) }),
  });
  r.post({
    url: '/api/me/tokens',
    access: 'authenticated',
    summary: 'Create a personal API token (shown once)',
    body: C.CreateApiTokenInput,
    status: 201,
    response: C.CreatedApiToken,
    handler: async ({ actor, body }) => svc.createToken(actor!, body.name, body.expiresInDays),
  });
  r.delete({
    url: '/api/me/tokens/:id',
    access: 'authenticated',
    summary: 'Revoke an API token',
    params: C.IdParam,
    status: 204,
    handler: async ({ actor, params }) => svc.revokeToken(actor!, params.id),
  });
  r.get({
    url: '/api/roles',
    access: 'authenticated',
    summary: 'Built-in roles and the permission registry, with translated labels',
    response: C.RolesResult,
    handler: async ({ locale }) => {
      return {
        roles: k.permissions
          .roleTable()
          .map((r) => ({ id: r.id, label: t(locale, `roles.${r.id}`), permissions: r.permissions })),
        permissions: k.permissions
          .all()
          .map((p) => ({ id: p.id, module: p.module, label: t(locale, `permissions.${p.id}`) })),
      };
    },
  });

  // ---- the active organisation -------------------------------------------------------
  r.get({
    url: '/api/organisation',
    access: P.organisationRead,
    summary: 'The active organisation',
    response: z.object({
      id: z.uuid(),
      name: z.string(),
      shortName: z.string().nullable(),
      type: z.string(),
      country: z.string().nullable(),
      wcoRegion: z.string().nullable(),
      defaultLocale: z.string(),
    }),
    handler: async ({ tx, tenantId }) => {
      const org = await q.findOrganisation(tx, tenantId);
      if (!org) throw new AppError('NOT_FOUND');
      return org;
    },
  });
  r.get({
    url: '/api/organisation/units',
    access: P.organisationRead,
    summary: 'Organisation units',
    response: Items(C.OrgUnit),
    handler: async ({ tx }) => ({ items: await q.listUnits(tx) }),
  });
  r.post({
    url: '/api/organisation/units',
    access: P.unitsManage,
    summary: 'Add an organisation unit',
    body: C.CreateOrgUnitInput,
    status: 201,
    response: C.OrgUnit,
    handler: async ({ tx, tenantId, actor, body }) => svc.createUnit(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/organisation/units/:id',
    access: P.unitsManage,
    summary: 'Rename, re-code or move an organisation unit (send the version you saw)',
    params: C.IdParam,
    body: C.UpdateOrgUnitInput,
    response: C.OrgUnit,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateUnit(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/organisation/members',
    access: P.membersRead,
    summary: 'Members and their roles',
    response: Items(C.Member),
    handler: async ({ tx }) => ({ items: await q.listMembers(tx) }),
  });
  r.patch({
    url: '/api/organisation/members/:id',
    access: P.membersManage,
    summary: "Change a member's roles (optimistic concurrency: send the version you saw)",
    params: C.IdParam,
    body: C.UpdateMemberInput,
    response: z.object({ id: z.uuid(), roles: z.array(z.string()), version: z.number().int() }),
    handler: async ({ tx, tenantId, actor, params, body, afterCommit }) => {
      afterCommit(() => auth.invalidate());
      return svc.updateMemberRoles(tx, tenantId, actor, params.id, body.roles, body.version);
    },
  });
  r.get({
    url: '/api/organisation/invitations',
    access: P.membersInvite,
    summary: 'Open invitations',
    response: Items(C.Invitation),
    handler: async ({ tx }) => ({
      items: (await q.listInvitations(tx)).map((i) => ({
        id: i.id,
        email: i.email,
        roles: i.roles,
        expiresAt: i.expiresAt.toISOString(),
        acceptedAt: i.acceptedAt?.toISOString() ?? null,
      })),
    }),
  });
  r.post({
    url: '/api/organisation/invitations',
    access: P.membersInvite,
    summary: 'Invite someone by e-mail',
    body: C.InviteInput,
    status: 201,
    response: C.Invitation,
    handler: async ({ tx, tenantId, actor, body, locale }) => {
      const i = await svc.invite(tx, tenantId, actor, body.email, body.roles, locale);
      return {
        id: i.id,
        email: i.email,
        roles: i.roles,
        expiresAt: i.expiresAt.toISOString(),
        acceptedAt: null,
      };
    },
  });
  r.get({
    url: '/api/organisation/audit',
    access: P.auditRead,
    summary: "The organisation's audit log, newest first",
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        before: z.coerce.number().int().min(1).optional(),
      })
      .strict(),
    response: Items(
      z.object({
        seq: z.number(),
        at: z.iso.datetime(),
        actorId: z.string().nullable(),
        action: z.string(),
        entityType: z.string(),
        entityId: z.string().nullable(),
        data: z.unknown(),
      }),
    ),
    handler: async ({ tx, query }) => ({
      items: (await q.listAudit(tx, query.limit, query.before)).map((e) => ({
        seq: e.seq,
        at: e.at.toISOString(),
        actorId: e.actorId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        data: e.data,
      })),
    }),
  });

  // ---- platform administration (across organisations) --------------------------------
  r.get({
    url: '/api/platform/organisations',
    access: 'platform',
    summary: 'All organisations (platform administrators)',
    response: Items(C.Organisation),
    handler: async () => ({ items: await svc.listAllOrganisations() }),
  });
  r.post({
    url: '/api/platform/organisations',
    access: 'platform',
    summary:
      'Create an organisation: Secretariat, administration, donor, private-sector body or international organisation',
    body: C.OrganisationInput,
    status: 201,
    response: C.Organisation,
    handler: async ({ actor, body }) => svc.createOrganisation(actor!.userId, body),
  });
  r.post({
    url: '/api/platform/organisations/:id/invitations',
    access: 'platform',
    summary: "Invite an organisation's first administrator",
    params: C.IdParam,
    body: C.FirstAdminInput,
    status: 201,
    response: C.Invitation,
    handler: async ({ actor, params, body, locale }) => {
      const i = await svc.inviteFirstAdmin(actor!, params.id, body.email, locale);
      return {
        id: i.id,
        email: i.email,
        roles: i.roles,
        expiresAt: i.expiresAt.toISOString(),
        acceptedAt: null,
      };
    },
  });
}
