import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { rows, type TenantTx } from '../db/tenant.ts';
import { isLocale, t as translate, type Locale } from '../i18n/i18n.ts';
import type { Mailer } from '../mail/mailer.ts';
import { notifications } from './notify.schema.ts';

export interface NotificationInput {
  tenantId: string;
  /** The recipient: a member of the tenant. */
  userId: string;
  /** A short machine word for grouping and icons, e.g. 'action.due'. */
  kind: string;
  /** A server catalog key (locales/<lang>/server*.json), rendered in the reader's language. */
  messageKey: string;
  vars?: Record<string, string | number>;
  /** An app path such as `/action-plans/<id>` (relative; made absolute in e-mails). */
  link?: string;
  /** Unique per recipient: a second send with the same key does nothing and returns false. */
  dedupeKey: string;
  /**
   * Also e-mail the recipient (only when the notification is new), in their language. Subject:
   * `notifications.email.subject` around `<messageKey>_subject` if the catalog has it, else the message.
   */
  email?: boolean;
}

export interface NotificationView {
  id: string;
  kind: string;
  message: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

const MAX_LIST = 50;

/**
 * In-app notifications, with an optional e-mail, each sent at most once per recipient and
 * dedupe key (INSERT … ON CONFLICT DO NOTHING; only a new row queues its e-mail). Everything
 * happens in the caller's tenant transaction: nothing is shown or sent if it rolls back.
 */
export class Notifier {
  constructor(
    private readonly mail: Mailer,
    private readonly config: Pick<Config, 'publicUrl'>,
    /** The server catalogs (a test may pass its own). */
    private readonly t: typeof translate = translate,
  ) {}

  async send(tx: TenantTx, n: NotificationInput): Promise<boolean> {
    if (!n.dedupeKey || n.dedupeKey.length > 500)
      throw new Error('notify: dedupeKey must be 1–500 characters');
    if (n.link !== undefined && !/^\/(?!\/)/.test(n.link))
      throw new Error('notify: link must be an app path');
    const inserted = await tx
      .insert(notifications)
      .values({
        tenantId: n.tenantId,
        userId: n.userId,
        kind: n.kind,
        messageKey: n.messageKey,
        vars: n.vars ?? {},
        link: n.link ?? null,
        dedupeKey: n.dedupeKey,
      })
      .onConflictDoNothing({
        target: [notifications.tenantId, notifications.userId, notifications.dedupeKey],
      })
      .returning({ id: notifications.id });
    if (inserted.length === 0) return false;
    if (n.email) await this.email(tx, n);
    return true;
  }

  /** The recipient's language: their own, else the organisation's default, else English. */
  private async email(tx: TenantTx, n: NotificationInput): Promise<void> {
    // arusha_app sees the users who are members of the current tenant (and no credentials).
    const [r] = await rows<{
      email: string;
      name: string;
      locale: string | null;
      default_locale: string | null;
      organisation: string | null;
    }>(
      tx.execute(sql`
        select u.email, u.name, u.locale, o.default_locale, o.name as organisation
        from users u left join organisations o on o.id = ${n.tenantId}
        where u.id = ${n.userId} and u.disabled_at is null`),
    );
    if (!r) return;
    const locale: Locale = isLocale(r.locale)
      ? r.locale
      : isLocale(r.default_locale)
        ? r.default_locale
        : 'en';
    const message = this.t(locale, n.messageKey, n.vars ?? {});
    // A `<messageKey>_subject` entry, when the catalog has one, is the e-mail's subject line.
    const subjectKey = `${n.messageKey}_subject`;
    const ownSubject = this.t(locale, subjectKey, n.vars ?? {});
    const oneLine = (ownSubject === subjectKey ? message : ownSubject).replace(/\s+/g, ' ').trim();
    const lines = [this.t(locale, 'notifications.email.greeting', { name: r.name }), '', message, ''];
    if (n.link)
      lines.push(
        this.t(locale, 'notifications.email.open', { link: `${this.config.publicUrl}${n.link}` }),
        '',
      );
    lines.push('--', this.t(locale, 'notifications.email.footer', { organisation: r.organisation ?? '' }));
    await this.mail.queue(tx, {
      to: r.email,
      subject: this.t(locale, 'notifications.email.subject', {
        message: oneLine.length > 150 ? `${oneLine.slice(0, 149)}…` : oneLine,
      }),
      body: `${lines.join('\n')}\n`,
    });
  }

  /** The recipient's latest notifications (at most 50) and their unread count, rendered in `locale`. */
  async list(
    tx: TenantTx,
    userId: string,
    locale: Locale,
  ): Promise<{ items: NotificationView[]; unread: number }> {
    const items = await tx
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(MAX_LIST);
    const [unread] = await tx
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
    return {
      items: items.map((x) => ({
        id: x.id,
        kind: x.kind,
        message: this.t(locale, x.messageKey, x.vars),
        link: x.link,
        createdAt: x.createdAt.toISOString(),
        readAt: x.readAt?.toISOString() ?? null,
      })),
      unread: Number(unread?.n ?? 0),
    };
  }

  /** Marks one of the recipient's notifications read; false when it is not theirs (or does not exist). */
  async markRead(tx: TenantTx, userId: string, id: string): Promise<boolean> {
    const [found] = await tx
      .select({ readAt: notifications.readAt })
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
    if (!found) return false;
    if (!found.readAt)
      await tx
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
    return true;
  }

  /** Marks all of the recipient's notifications read; returns how many changed. */
  async markAllRead(tx: TenantTx, userId: string): Promise<number> {
    const changed = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return changed.length;
  }
}
