import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Actor, Authenticator } from '../../platform/auth/actor.ts';
import { PLATFORM_TENANT } from '../../platform/audit/audit.ts';
import { withSystem, type SystemTx } from '../../platform/db/system.ts';
import { AppError } from '../../platform/errors.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import { isLocale, t } from '../../platform/i18n/i18n.ts';
import { hashPassword, newToken, recoveryCode, sha256, verifyPassword } from './identity.crypto.ts';
import {
  apiTokens,
  loginThrottle,
  memberships,
  passwordResets,
  recoveryCodes,
  sessions,
  users,
} from './identity.schema.ts';

export const SESSION_COOKIE = 'arusha_session';
export const TOKEN_PREFIX = 'arusha_pat_';
const RESET_TTL_MS = 60 * 60 * 1000;
const MFA_PENDING_TTL_MS = 5 * 60 * 1000;
const RESET_ANSWER_MS = 400;

/** Progressive delay per account after failures (GlobaLeaks caps theirs at 42 s; so do we). */
export function throttleDelayMs(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(42_000, 500 * 2 ** (failures - 3));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sign-in, sessions, second factor, password reset and API tokens. This is platform
 * administration code: it runs as the owner role because a person exists across tenants.
 */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const instances = new WeakMap<Kernel, AuthService>();

export class AuthService {
  private readonly totpBox: SecretBox;
  /**
   * Resolved actors by credential hash, for a few seconds (docs/adr/0006): it saves a
   * query on every request. Changes made through this instance (sign-out, password,
   * roles, organisation switch) clear it at once; other instances see them within the TTL.
   */
  private readonly cache = new Map<string, { actor: Actor; until: number }>();

  /** One per kernel, so that the authenticator and the routes share the cache. */
  static for(k: Kernel): AuthService {
    const found = instances.get(k);
    if (found) return found;
    const created = new AuthService(k);
    instances.set(k, created);
    return created;
  }

  private constructor(private readonly k: Kernel) {
    this.totpBox = new SecretBox(k.config.SECRET_KEY, 'totp-secret-v1');
  }

  /** Forget every cached actor (called after any change to sessions, tokens or memberships). */
  invalidate(): void {
    this.cache.clear();
  }

  private cached(
    key: string,
    load: () => Promise<{ actor: Actor; expiresAt: Date } | null>,
  ): Promise<Actor | null> | Actor | null {
    const hit = this.cache.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.actor;
    return load().then((found) => {
      if (!found) {
        this.cache.delete(key);
        return null;
      }
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      // Never beyond the credential's own expiry.
      this.cache.set(key, {
        actor: found.actor,
        until: Math.min(now + CACHE_TTL_MS, found.expiresAt.getTime()),
      });
      return found.actor;
    });
  }

  private async throttle(key: string): Promise<number> {
    const [row] = await this.k.db.owner.select().from(loginThrottle).where(eq(loginThrottle.key, key));
    return row ? row.failures : 0;
  }
  private async fail(key: string): Promise<void> {
    await this.k.db.owner
      .insert(loginThrottle)
      .values({ key, failures: 1 })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: { failures: sql`${loginThrottle.failures} + 1`, lastFailureAt: new Date() },
      });
  }
  private async clear(key: string): Promise<void> {
    await this.k.db.owner.delete(loginThrottle).where(eq(loginThrottle.key, key));
  }

  private audit(
    tx: SystemTx,
    actorId: string | null,
    action: string,
    entityId: string | null,
    data: Record<string, unknown> = {},
  ) {
    return this.k.audit.record(tx, PLATFORM_TENANT, { actorId, action, entityType: 'user', entityId, data });
  }

  async login(email: string, password: string): Promise<{ token: string; mfaRequired: boolean }> {
    const key = `login:${sha256(email.toLowerCase())}`;
    await sleep(throttleDelayMs(await this.throttle(key)));
    const [user] = await this.k.db.owner
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok || user.disabledAt) {
      await this.fail(key);
      throw new AppError('INVALID_CREDENTIALS', 'The e-mail or password is not correct');
    }
    await this.clear(key);
    return withSystem(this.k.db, async (tx) => {
      const [m] = await tx
        .select({ tenantId: memberships.tenantId })
        .from(memberships)
        .where(eq(memberships.userId, user.id))
        .orderBy(memberships.createdAt)
        .limit(1);
      const token = newToken();
      const ttl = user.totpEnabled ? MFA_PENDING_TTL_MS : this.k.config.SESSION_TTL_HOURS * 3600_000;
      await tx.insert(sessions).values({
        tokenHash: sha256(token),
        userId: user.id,
        tenantId: m?.tenantId ?? null,
        mfaPending: user.totpEnabled,
        expiresAt: new Date(Date.now() + ttl),
      });
      await this.audit(
        tx,
        user.id,
        user.totpEnabled ? 'identity.user.password_verified' : 'identity.user.signed_in',
        user.id,
      );
      return { token, mfaRequired: user.totpEnabled };
    });
  }

  /** Completes a sign-in waiting for its second factor: a TOTP code or a recovery code. */
  async verifySecondFactor(token: string, code: string): Promise<void> {
    const [s] = await this.k.db.owner
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.tokenHash, sha256(token)),
          eq(sessions.mfaPending, true),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, new Date()),
        ),
      );
    if (!s) throw new AppError('UNAUTHENTICATED', 'Sign in with your password first');
    const key = `totp:${s.userId}`;
    await sleep(throttleDelayMs(await this.throttle(key)));
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, s.userId));
    let ok = false;
    let usedRecovery = false;
    if (user?.totpSecret && /^\d{6}$/.test(code))
      ok = await this.acceptTotp(user.id, user.totpSecret, user.email, code);
    else if (user) {
      const [rc] = await this.k.db.owner
        .update(recoveryCodes)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(recoveryCodes.userId, user.id),
            eq(recoveryCodes.codeHash, sha256(code.toLowerCase())),
            isNull(recoveryCodes.usedAt),
          ),
        )
        .returning();
      ok = !!rc;
      usedRecovery = ok;
    }
    if (!ok) {
      await this.fail(key);
      throw new AppError('INVALID_MFA_CODE', 'The code is not correct');
    }
    await this.clear(key);
    await withSystem(this.k.db, async (tx) => {
      await tx
        .update(sessions)
        .set({
          mfaPending: false,
          expiresAt: new Date(Date.now() + this.k.config.SESSION_TTL_HOURS * 3600_000),
        })
        .where(eq(sessions.id, s.id));
      await this.audit(tx, s.userId, 'identity.user.signed_in', s.userId, {
        secondFactor: usedRecovery ? 'recovery_code' : 'totp',
      });
    });
  }

  private totp(secretBase32: string, email: string) {
    return new TOTP({
      issuer: 'Arusha',
      label: email,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: Secret.fromBase32(secretBase32),
    });
  }
  /** Accepts a code at most once: its time step must be later than the last one accepted. */
  private async acceptTotp(userId: string, sealed: string, email: string, code: string): Promise<boolean> {
    const delta = this.totp(this.totpBox.open(sealed), email).validate({ token: code, window: 1 });
    if (delta === null) return false;
    const step = Math.floor(Date.now() / 30_000) + delta;
    const updated = await this.k.db.owner
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    return updated.length === 1;
  }

  async startTotpSetup(userId: string): Promise<{ secret: string; uri: string; qrSvg: string }> {
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, userId));
    if (!user) throw new AppError('NOT_FOUND');
    if (user.totpEnabled)
      throw new AppError('CONFLICT', 'Two-factor sign-in is already on; turn it off first');
    const secret = new Secret({ size: 20 }).base32; // 160 bits, RFC 4226's recommendation
    await this.k.db.owner
      .update(users)
      .set({ totpSecret: this.totpBox.seal(secret), totpLastStep: null })
      .where(eq(users.id, userId));
    const uri = this.totp(secret, user.email).toString();
    const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1 });
    return { secret, uri, qrSvg };
  }

  async enableTotp(userId: string, code: string): Promise<string[]> {
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, userId));
    if (!user?.totpSecret) throw new AppError('CONFLICT', 'Start the set-up first');
    if (user.totpEnabled) throw new AppError('CONFLICT', 'Two-factor sign-in is already on');
    if (!(await this.acceptTotp(user.id, user.totpSecret, user.email, code)))
      throw new AppError('INVALID_MFA_CODE', 'The code is not correct');
    const codes = Array.from({ length: 10 }, recoveryCode);
    await withSystem(this.k.db, async (tx) => {
      await tx.update(users).set({ totpEnabled: true, updatedAt: new Date() }).where(eq(users.id, userId));
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: sha256(c) })));
      await this.audit(tx, userId, 'identity.user.totp_enabled', userId);
    });
    return codes;
  }

  async disableTotp(userId: string, password: string): Promise<void> {
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, userId));
    if (!user || !(await verifyPassword(user.passwordHash, password)))
      throw new AppError('INVALID_CREDENTIALS', 'The password is not correct');
    await withSystem(this.k.db, async (tx) => {
      await tx
        .update(users)
        .set({ totpEnabled: false, totpSecret: null, updatedAt: new Date() })
        .where(eq(users.id, userId));
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await this.audit(tx, userId, 'identity.user.totp_disabled', userId);
    });
  }

  /** For tests and the CLI: the current code of a user's TOTP secret. */
  async currentTotp(userId: string): Promise<string> {
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, userId));
    if (!user?.totpSecret) throw new AppError('NOT_FOUND');
    return this.totp(this.totpBox.open(user.totpSecret), user.email).generate();
  }

  /**
   * Re-authentication for a sensitive action of a signed-in user (e.g. switching key escrow on):
   * whether `password` is theirs. Wrong answers are throttled per user like sign-in failures.
   * Owner handle: call it before any tenant transaction (route `beforeTransaction`).
   */
  async confirmPassword(userId: string, password: string): Promise<boolean> {
    const key = `reauth:${userId}`;
    await sleep(throttleDelayMs(await this.throttle(key)));
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, userId));
    const ok = Boolean(user && !user.disabledAt && (await verifyPassword(user.passwordHash, password)));
    if (ok) await this.clear(key);
    else await this.fail(key);
    return ok;
  }

  async changePassword(
    userId: string,
    current: string,
    next: string,
    keepSessionId: string | null,
  ): Promise<void> {
    this.invalidate();
    const [user] = await this.k.db.owner.select().from(users).where(eq(users.id, userId));
    if (!user || !(await verifyPassword(user.passwordHash, current)))
      throw new AppError('INVALID_CREDENTIALS', 'The current password is not correct');
    const h = await hashPassword(next);
    await withSystem(this.k.db, async (tx) => {
      await tx
        .update(users)
        .set({ passwordHash: h, passwordChangedAt: new Date(), updatedAt: new Date() })
        .where(eq(users.id, userId));
      // Other sessions end: whoever knew the old password is out.
      await tx
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            keepSessionId ? sql`${sessions.id} <> ${keepSessionId}` : sql`true`,
          ),
        );
      await this.audit(tx, userId, 'identity.user.password_changed', userId);
    });
    this.invalidate();
  }

  async requestPasswordReset(email: string, locale: string): Promise<void> {
    // Known and unknown addresses answer in the same time, so timing reveals no account.
    const started = Date.now();
    try {
      await this.sendPasswordReset(email, locale);
    } finally {
      await sleep(Math.max(0, RESET_ANSWER_MS - (Date.now() - started)));
    }
  }

  private async sendPasswordReset(email: string, locale: string): Promise<void> {
    const [user] = await this.k.db.owner
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
    if (!user || user.disabledAt) return; // same answer either way
    const token = newToken();
    await withSystem(this.k.db, async (tx) => {
      await tx.insert(passwordResets).values({
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt: new Date(Date.now() + RESET_TTL_MS),
      });
      const loc = isLocale(user.locale) ? user.locale : isLocale(locale) ? locale : 'en';
      await this.k.mail.queue(tx, {
        to: user.email,
        subject: t(loc, 'mail.reset.subject'),
        body: t(loc, 'mail.reset.body', {
          name: user.name,
          link: `${this.k.config.publicUrl}/reset-password/${token}`,
          count: 60,
        }),
      });
      await this.audit(tx, user.id, 'identity.user.password_reset_requested', user.id);
    });
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    this.invalidate();
    const h = await hashPassword(password);
    await withSystem(this.k.db, async (tx) => {
      const [r] = await tx
        .update(passwordResets)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(passwordResets.tokenHash, sha256(token)),
            isNull(passwordResets.usedAt),
            gt(passwordResets.expiresAt, new Date()),
          ),
        )
        .returning();
      if (!r) throw new AppError('GONE', 'This link is invalid or has expired; ask for a new one');
      await tx
        .update(users)
        .set({ passwordHash: h, passwordChangedAt: new Date(), updatedAt: new Date() })
        .where(eq(users.id, r.userId));
      // A reset suggests the account may be compromised: every session and API token ends.
      await tx
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.userId, r.userId), isNull(sessions.revokedAt)));
      await tx
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.userId, r.userId), isNull(apiTokens.revokedAt)));
      await this.audit(tx, r.userId, 'identity.user.password_reset', r.userId);
    });
    this.invalidate();
  }

  async logout(sessionId: string): Promise<void> {
    await this.k.db.owner.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId));
    this.invalidate();
  }

  async logoutEverywhere(userId: string): Promise<void> {
    this.invalidate();
    await withSystem(this.k.db, async (tx) => {
      await tx
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
      await tx
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
      await this.audit(tx, userId, 'identity.user.signed_out_everywhere', userId);
    });
    this.invalidate();
  }

  async switchOrganisation(sessionId: string, userId: string, tenantId: string): Promise<void> {
    this.invalidate();
    const [m] = await this.k.db.owner
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)));
    if (!m) throw new AppError('NOT_FOUND', 'organisation not found');
    await this.k.db.owner.update(sessions).set({ tenantId }).where(eq(sessions.id, sessionId));
    this.invalidate();
  }

  setCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.k.config.production,
      path: '/',
      maxAge: this.k.config.SESSION_TTL_HOURS * 3600,
    });
  }
  clearCookie(reply: FastifyReply) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** The platform's authenticator: a session cookie or a personal API token. One query each. */
  authenticator(): Authenticator {
    return async (req: FastifyRequest): Promise<Actor | null> => {
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer ')) {
        const token = auth.slice(7).trim();
        return this.cached(`t:${sha256(token)}`, () => this.fromToken(token));
      }
      const token = req.cookies[SESSION_COOKIE];
      return token ? this.cached(`s:${sha256(token)}`, () => this.fromSession(token)) : null;
    };
  }

  pendingSessionToken(req: FastifyRequest): string | undefined {
    return req.cookies[SESSION_COOKIE];
  }

  private actor(
    row: {
      userId: string;
      email: string;
      tenantId: string | null;
      roles: string[] | null;
      isPlatformAdmin: boolean;
      locale: string | null;
    },
    via: Actor['via'],
    sessionId: string | null,
  ): Actor {
    const roles = row.tenantId && row.roles ? row.roles : [];
    return {
      userId: row.userId,
      email: row.email,
      tenantId: row.roles ? row.tenantId : null,
      roles,
      permissions: this.k.permissions.permissionsOf(roles),
      isPlatformAdmin: row.isPlatformAdmin,
      locale: row.locale,
      via,
      sessionId,
    };
  }

  private async fromSession(token: string): Promise<{ actor: Actor; expiresAt: Date } | null> {
    if (token.length > 100) return null;
    const now = new Date();
    const [row] = await this.k.db.owner
      .select({
        sessionId: sessions.id,
        userId: users.id,
        email: users.email,
        tenantId: sessions.tenantId,
        roles: memberships.roles,
        isPlatformAdmin: users.isPlatformAdmin,
        locale: users.locale,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(
        memberships,
        and(eq(memberships.userId, sessions.userId), eq(memberships.tenantId, sessions.tenantId)),
      )
      .where(
        and(
          eq(sessions.tokenHash, sha256(token)),
          eq(sessions.mfaPending, false),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, now),
          isNull(users.disabledAt),
        ),
      );
    if (!row) return null;
    if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
      // Sliding expiry, written at most once a minute per session.
      await this.k.db.owner
        .update(sessions)
        .set({
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + this.k.config.SESSION_TTL_HOURS * 3600_000),
        })
        .where(eq(sessions.id, row.sessionId));
    }
    return { actor: this.actor(row, 'session', row.sessionId), expiresAt: row.expiresAt };
  }

  private async fromToken(token: string): Promise<{ actor: Actor; expiresAt: Date } | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 120) return null;
    const now = new Date();
    const [row] = await this.k.db.owner
      .select({
        tokenId: apiTokens.id,
        userId: users.id,
        email: users.email,
        tenantId: apiTokens.tenantId,
        roles: memberships.roles,
        isPlatformAdmin: users.isPlatformAdmin,
        locale: users.locale,
        lastUsedAt: apiTokens.lastUsedAt,
        expiresAt: apiTokens.expiresAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .leftJoin(
        memberships,
        and(eq(memberships.userId, apiTokens.userId), eq(memberships.tenantId, apiTokens.tenantId)),
      )
      .where(
        and(
          eq(apiTokens.tokenHash, sha256(token)),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, now),
          isNull(users.disabledAt),
        ),
      );
    if (!row) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000)
      await this.k.db.owner.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
    return { actor: this.actor(row, 'token', null), expiresAt: row.expiresAt };
  }

  /** Daily job `identity.cleanup`: forget credentials that can no longer be used. */
  async cleanup(now = new Date()): Promise<Record<string, number>> {
    const day = 86400_000;
    const old = new Date(now.getTime() - day);
    const counts: Record<string, number> = {};
    await withSystem(this.k.db, async (tx) => {
      counts.sessions = (
        await tx
          .delete(sessions)
          .where(or(lt(sessions.expiresAt, old), lt(sessions.revokedAt, old)))
          .returning({ id: sessions.id })
      ).length;
      counts.passwordResets = (
        await tx
          .delete(passwordResets)
          .where(lt(passwordResets.expiresAt, old))
          .returning({ id: passwordResets.id })
      ).length;
      counts.apiTokens = (
        await tx
          .delete(apiTokens)
          .where(
            or(
              lt(apiTokens.expiresAt, new Date(now.getTime() - 30 * day)),
              lt(apiTokens.revokedAt, new Date(now.getTime() - 30 * day)),
            ),
          )
          .returning({ id: apiTokens.id })
      ).length;
      counts.loginThrottle = (
        await tx
          .delete(loginThrottle)
          .where(lt(loginThrottle.lastFailureAt, old))
          .returning({ key: loginThrottle.key })
      ).length;
    });
    return counts;
  }
}
