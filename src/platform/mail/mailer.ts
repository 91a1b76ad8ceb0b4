import nodemailer, { type Transporter } from 'nodemailer';
import { desc, eq, isNull } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { mailOutbox } from './mail.schema.ts';

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

/**
 * Mail goes through the outbox table so it is sent only if the transaction that asked
 * for it commits. With SMTP_URL set, the `mail.send` job delivers and blanks the body;
 * without it (development) the outbox is the mailbox, readable at /dev/outbox.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;
  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  }

  get delivers(): boolean {
    return !!this.transport;
  }

  /** Queues in the caller's transaction. */
  async queue(tx: Tx, msg: MailMessage): Promise<void> {
    await tx.insert(mailOutbox).values(msg);
  }

  /** Sends what is waiting (job `mail.send`, every minute and after each queue). */
  async flush(): Promise<number> {
    if (!this.transport) return 0;
    const pending = await this.db.owner.select().from(mailOutbox).where(isNull(mailOutbox.sentAt)).limit(50);
    let sent = 0;
    for (const m of pending) {
      try {
        await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.body });
        await this.db.owner
          .update(mailOutbox)
          .set({ sentAt: new Date(), body: '', error: null })
          .where(eq(mailOutbox.id, m.id));
        sent++;
      } catch (e) {
        this.log.warn({ mailId: m.id, error: (e as Error).message }, 'mail not sent');
        await this.db.owner
          .update(mailOutbox)
          .set({ error: (e as Error).message.slice(0, 500) })
          .where(eq(mailOutbox.id, m.id));
      }
    }
    return sent;
  }

  async outbox(limit = 50) {
    return this.db.owner.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(limit);
  }
}
