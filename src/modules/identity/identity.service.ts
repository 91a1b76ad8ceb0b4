import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import { PLATFORM_TENANT } from '../../platform/audit/audit.ts';
import { withSystem } from '../../platform/db/system.ts';
import { withTenant, type TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError } from '../../platform/errors.ts';
import { t, type Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { CreateOrgUnitInput, Me, OrganisationSummary, UpdateOrgUnitInput } from './identity.contract.ts';
import { hashPassword, newToken, sha256, verifyPassword } from './identity.crypto.ts';
import { AuthService, TOKEN_PREFIX } from './identity.auth.ts';
import * as q from './identity.queries.ts';
import {
  apiTokens,
  orgUnits,
  invitations,
  memberships,
  organisations,
  users,
  type ORG_TYPES,
  type WCO_REGIONS,
} from './identity.schema.ts';

const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export class IdentityService {
  constructor(private readonly k: Kernel) {}

  async me(actor: Actor): Promise<Me> {
    const db = this.k.db.owner;
    const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
    if (!user) throw new AppError('UNAUTHENTICATED');
    const orgs = await db
      .select({
        id: organisations.id,
        name: organisations.name,
        shortName: organisations.shortName,
        type: organisations.type,
        country: organisations.country,
        wcoRegion: organisations.wcoRegion,
        roles: memberships.roles,
      })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.tenantId))
      .where(eq(memberships.userId, actor.userId))
      .orderBy(asc(organisations.name));
    const organisationsOut: OrganisationSummary[] = orgs;
    const active = organisationsOut.find((o) => o.id === actor.tenantId);
    return {
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        locale: user.locale,
        totpEnabled: user.totpEnabled,
        isPlatformAdmin: user.isPlatformAdmin,
      },
      organisations: organisationsOut,
      activeOrganisation: active ?? null,
      // From the active organisation's roles as stored now, not from the (cached) actor.
      permissions: [...this.k.permissions.permissionsOf(active?.roles ?? [])].sort(),
    };
  }

  async updateMe(actor: Actor, input: { name?: string; locale?: string | null }): Promise<void> {
    await this.k.db.owner
      .update(users)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        updatedAt: new Date(),
      })
      .where(eq(users.id, actor.userId));
  }

  // ---- personal API tokens -------------------------------------------------------------
  async listTokens(actor: Actor) {
    const rows = await this.k.db.owner
      .select()
      .from(apiTokens)
      .where(
        and(
          eq(apiTokens.userId, actor.userId),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, new Date()),
        ),
      )
      .orderBy(desc(apiTokens.createdAt));
    return rows.map(tokenOut);
  }

  async createToken(actor: Actor, name: string, days: number) {
    if (!actor.tenantId)
      throw new AppError('FORBIDDEN', 'Choose an organisation first: a token acts in one organisation');
    if (actor.via === 'token') throw new AppError('FORBIDDEN', 'A token cannot create tokens');
    const token = `${TOKEN_PREFIX}${newToken()}`;
    const row = await withSystem(this.k.db, async (tx) => {
      const [r] = await tx
        .insert(apiTokens)
        .values({
          userId: actor.userId,
          tenantId: actor.tenantId!,
          name,
          tokenHash: sha256(token),
          prefix: token.slice(0, TOKEN_PREFIX.length + 6),
          expiresAt: new Date(Date.now() + days * 86400_000),
        })
        .returning();
      await this.k.audit.record(tx, actor.tenantId!, {
        actorId: actor.userId,
        action: 'identity.token.created',
        entityType: 'api_token',
        entityId: r!.id,
        data: { name, days },
      });
      return r!;
    });
    return { ...tokenOut(row), token };
  }

  async revokeToken(actor: Actor, id: string) {
    await withSystem(this.k.db, async (tx) => {
      const [r] = await tx
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
        .returning();
      if (!r) throw new AppError('NOT_FOUND', 'token not found');
      await this.k.audit.record(tx, r.tenantId, {
        actorId: actor.userId,
        action: 'identity.token.revoked',
        entityType: 'api_token',
        entityId: id,
      });
    });
    AuthService.for(this.k).invalidate();
  }

  // ---- organisation (tenant-scoped) --------------------------------------------------
  async updateMemberRoles(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    roles: string[],
    version: number,
  ) {
    this.checkRoles(actor, roles);
    const before = await q.findMembership(tx, id);
    if (!before) throw new AppError('NOT_FOUND', 'member not found');
    if (before.roles.includes('org_admin') && !roles.includes('org_admin')) {
      const admins = await q.lockAdmins(tx);
      if (admins.length <= 1)
        throw new AppError('CONFLICT', 'An organisation keeps at least one organisation administrator');
    }
    const updated = await updateVersioned(tx, memberships, id, version, { roles });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'identity.member.roles_changed',
      entityType: 'membership',
      entityId: id,
      data: { before: before.roles, after: roles },
    });
    return updated;
  }

  private checkRoles(actor: Actor, roles: string[]) {
    for (const r of roles)
      if (!this.k.permissions.isRole(r))
        throw new AppError('VALIDATION_FAILED', `unknown role ${r}`, [
          { path: 'body.roles', message: `unknown role ${r}` },
        ]);
    if (roles.includes('platform_admin') && !actor.isPlatformAdmin)
      throw new AppError('FORBIDDEN', 'Only a platform administrator may grant platform administration');
  }

  async createUnit(tx: TenantTx, tenantId: string, actor: Actor, input: z.infer<typeof CreateOrgUnitInput>) {
    if (input.parentId && !(await q.findUnit(tx, input.parentId)))
      throw new AppError('NOT_FOUND', 'parent unit not found');
    const unit = await q.insertUnit(tx, {
      tenantId,
      parentId: input.parentId,
      type: input.type,
      name: input.name,
      code: input.code ?? null,
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'identity.unit.created',
      entityType: 'org_unit',
      entityId: unit.id,
      data: { name: unit.name, type: unit.type },
    });
    return unit;
  }

  /** Rename, re-code, retype or move a unit; a unit cannot move under itself or its descendants. */
  async updateUnit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof UpdateOrgUnitInput>,
  ) {
    const before = await q.findUnit(tx, id);
    if (!before) throw new AppError('NOT_FOUND', 'unit not found');
    if (input.parentId) {
      if (!(await q.findUnit(tx, input.parentId))) throw new AppError('NOT_FOUND', 'parent unit not found');
      const units = await q.listUnits(tx);
      const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
      for (let cur: string | null | undefined = input.parentId; cur; cur = parentOf.get(cur))
        if (cur === id)
          throw new AppError('CONFLICT', 'A unit cannot be moved under itself or one of its own units');
    }
    const { version, ...changes } = input;
    const updated = await updateVersioned(tx, orgUnits, id, version, changes);
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'identity.unit.updated',
      entityType: 'org_unit',
      entityId: id,
      data: {
        before: { name: before.name, code: before.code, type: before.type, parentId: before.parentId },
        changes,
      },
    });
    return updated;
  }

  async invite(tx: TenantTx, tenantId: string, actor: Actor, email: string, roles: string[], locale: Locale) {
    this.checkRoles(actor, roles);
    const token = newToken();
    const inv = await q.insertInvitation(tx, {
      tenantId,
      email,
      roles,
      tokenHash: sha256(token),
      invitedBy: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    const org = await q.findOrganisation(tx, tenantId);
    await this.k.mail.queue(tx, {
      to: email,
      subject: t(locale, 'mail.invite.subject', { organisation: org?.name ?? '' }),
      body: t(locale, 'mail.invite.body', {
        organisation: org?.name ?? '',
        link: `${this.k.config.publicUrl}/invite/${token}`,
        count: 7,
      }),
    });
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'identity.member.invited',
      entityType: 'invitation',
      entityId: inv.id,
      data: { email, roles },
    });
    return inv;
  }

  /** Public: whoever holds the e-mailed link joins; an existing account proves itself with its password. */
  async acceptInvitation(token: string, name: string, password: string) {
    const hash = await hashPassword(password);
    return withSystem(this.k.db, async (tx) => {
      const [inv] = await tx
        .update(invitations)
        .set({ acceptedAt: new Date() })
        .where(
          and(
            eq(invitations.tokenHash, sha256(token)),
            isNull(invitations.acceptedAt),
            gt(invitations.expiresAt, new Date()),
          ),
        )
        .returning();
      if (!inv) throw new AppError('GONE', 'This invitation is invalid, used or expired');
      let [user] = await tx
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${inv.email.toLowerCase()}`);
      if (user) {
        if (!(await verifyPassword(user.passwordHash, password)))
          throw new AppError(
            'INVALID_CREDENTIALS',
            'An account with this e-mail exists: enter its password to join',
          );
      } else {
        [user] = await tx
          .insert(users)
          .values({ email: inv.email, name, passwordHash: hash, passwordChangedAt: new Date() })
          .returning();
      }
      // Already a member: the invitation adds roles, it never takes any away.
      await tx
        .insert(memberships)
        .values({ tenantId: inv.tenantId, userId: user!.id, roles: inv.roles })
        .onConflictDoUpdate({
          target: [memberships.tenantId, memberships.userId],
          set: {
            roles: sql`(select array_agg(distinct r) from unnest(${memberships.roles} || excluded.roles) r)`,
            version: sql`${memberships.version} + 1`,
            updatedAt: new Date(),
          },
        });
      await this.k.audit.record(tx, inv.tenantId, {
        actorId: user!.id,
        action: 'identity.member.joined',
        entityType: 'membership',
        entityId: user!.id,
        data: { roles: inv.roles },
      });
      return { email: user!.email };
    });
  }

  // ---- platform administration -------------------------------------------------------
  async createOrganisation(
    actorId: string | null,
    input: {
      type: (typeof ORG_TYPES)[number];
      name: string;
      shortName?: string | null;
      country?: string | null;
      wcoRegion?: (typeof WCO_REGIONS)[number] | null;
      defaultLocale?: string;
    },
  ) {
    return withSystem(this.k.db, async (tx) => {
      const [org] = await tx
        .insert(organisations)
        .values({
          type: input.type,
          name: input.name,
          shortName: input.shortName ?? null,
          country: input.country ?? null,
          wcoRegion: input.wcoRegion ?? null,
          defaultLocale: input.defaultLocale ?? 'en',
        })
        .returning();
      await this.k.audit.record(tx, PLATFORM_TENANT, {
        actorId,
        action: 'identity.organisation.created',
        entityType: 'organisation',
        entityId: org!.id,
        data: { name: input.name, type: input.type },
      });
      return org!;
    });
  }

  /** Platform administration: the first organisation administrator of a new organisation. */
  async inviteFirstAdmin(actor: Actor, tenantId: string, email: string, locale: Locale) {
    const [org] = await this.k.db.owner.select().from(organisations).where(eq(organisations.id, tenantId));
    if (!org) throw new AppError('NOT_FOUND', 'organisation not found');
    return withTenant(this.k.db, { tenantId, userId: actor.userId }, (tx) =>
      this.invite(tx, tenantId, { ...actor, isPlatformAdmin: true }, email, ['org_admin'], locale),
    );
  }

  async listAllOrganisations() {
    return this.k.db.owner.select().from(organisations).orderBy(asc(organisations.name));
  }

  /** CLI and demo data: a user with a membership, created or updated. */
  async ensureUser(input: {
    email: string;
    name: string;
    password?: string;
    passwordHash?: string;
    isPlatformAdmin?: boolean;
  }) {
    const hash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null);
    const [existing] = await this.k.db.owner
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${input.email.toLowerCase()}`);
    if (existing) {
      const [u] = await this.k.db.owner
        .update(users)
        .set({
          name: input.name,
          ...(hash ? { passwordHash: hash } : {}),
          isPlatformAdmin: input.isPlatformAdmin ?? existing.isPlatformAdmin,
        })
        .where(eq(users.id, existing.id))
        .returning();
      return u!;
    }
    const [u] = await this.k.db.owner
      .insert(users)
      .values({
        email: input.email,
        name: input.name,
        passwordHash: hash,
        isPlatformAdmin: input.isPlatformAdmin ?? false,
        passwordChangedAt: new Date(),
      })
      .returning();
    return u!;
  }

  async addMembership(tenantId: string, userId: string, roles: string[]) {
    await withSystem(this.k.db, async (tx) => {
      await tx
        .insert(memberships)
        .values({ tenantId, userId, roles })
        .onConflictDoUpdate({ target: [memberships.tenantId, memberships.userId], set: { roles } });
      await this.k.audit.record(tx, tenantId, {
        actorId: null,
        action: 'identity.member.added',
        entityType: 'membership',
        entityId: userId,
        data: { roles },
      });
    });
  }
}

function tokenOut(r: typeof apiTokens.$inferSelect) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    organisationId: r.tenantId,
    expiresAt: r.expiresAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
