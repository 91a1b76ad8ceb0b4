import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { mulberry32 } from '../../platform/random.ts';
import { Directory, IdentityService } from '../identity/index.ts';
import { P } from './surveys.permissions.ts';
import { surveys } from './surveys.schema.ts';
import { SurveysService } from './surveys.service.ts';
import { AGE_BANDS, GENDER_BANDS, GRADE_BANDS } from './surveys.vocab.ts';

/**
 * Norland: two iterations of the officials' survey, two years apart, entered as paper forms
 * (made-up answers, slightly better the second time), so that the results, the suppression of
 * small groups and the trend have something to show. Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await tx.select({ id: surveys.id }).from(surveys).limit(1)).length) return;
    const members = await new Directory().members(tx);
    const officer =
      members.find((p) => p.email === 'integrity@norland.demo') ??
      members.find((p) => k.permissions.permissionsOf(p.roles).has(P.manage));
    if (!officer) return;
    const actor = { userId: officer.userId, permissions: new Set(Object.values(P)) } as unknown as Actor;
    const now = new Date();
    const twoYearsAgo = new Date(now.getTime() - 730 * 86_400_000);
    const random = mulberry32(20261128);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    let previous: string | undefined;
    for (const [when, lift, count, name] of [
      [twoYearsAgo, 0, 64, 'Integrity perception — officials (first iteration)'],
      [now, 0.6, 48, 'Integrity perception — officials (second iteration)'],
    ] as const) {
      const svc = new SurveysService(k, () => when);
      const created = await svc.create(tx, org.id, actor, {
        templateSlug: 'officials',
        name,
        ...(previous ? { previousSurveyId: previous } : {}),
      });
      const opened = await svc.open(tx, org.id, actor, created.id, created.version);
      for (let i = 0; i < count; i++) {
        const answers: Record<string, unknown> = {};
        for (const q of opened.questions) {
          if (q.kind === 'likert5')
            answers[q.id] = Math.min(5, Math.max(1, Math.round(2.6 + lift + (random() - 0.5) * 3)));
          else if (q.kind === 'frequency')
            answers[q.id] = Math.min(4, Math.max(0, Math.round(1.8 - lift + (random() - 0.5) * 3)));
          else if (q.kind === 'yesno') answers[q.id] = random() < 0.55 + lift / 3;
          else if (q.kind === 'single' && q.options?.length) answers[q.id] = pick(q.options).id;
          else if (q.kind === 'multiple' && q.options?.length) answers[q.id] = [pick(q.options).id];
        }
        // A small "other" group and a small oldest age band show suppression at work.
        const bands = {
          gender: i % 23 === 0 ? GENDER_BANDS[2] : pick(GENDER_BANDS.slice(0, 2)),
          age: i % 17 === 0 ? AGE_BANDS[3] : pick(AGE_BANDS.slice(0, 3)),
          grade: pick(GRADE_BANDS),
        };
        await svc.paper(tx, org.id, actor, created.id, { bands, answers: answers as never });
      }
      // Paper forms leave the survey row (and its version) as it was opened.
      if (previous === undefined) await svc.close(tx, org.id, actor, created.id, opened.version);
      previous = created.id;
    }
  });
}
