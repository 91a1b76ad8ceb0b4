import { Alert, Badge, Group, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UncacRefT, VerificationT } from '../../../web/types';
import { BadgeLink } from '../../../web/ui-kit/links';
import { EVIDENCE_TYPES } from '../standards.vocab';

const COLORS: Record<VerificationT, string> = {
  verified: 'teal',
  'partly-verified': 'yellow',
  unverified: 'orange',
  design: 'grape',
};

export function verificationLabel(t: TFunction, v: VerificationT): string {
  return t(`standards.verification.${v}`);
}

/** "verified" / "unverified wording" … with the explanation as a tooltip. */
export function VerificationBadge({ value }: { value: VerificationT | null }): ReactNode {
  const { t } = useTranslation();
  if (!value) return null;
  return (
    <Tooltip label={t(`standards.verificationHelp.${value}`)} multiline w={280} withArrow>
      <Badge
        color={COLORS[value]}
        variant="light"
        tt="none"
        leftSection={value === 'verified' ? <IconCircleCheck size={12} aria-hidden /> : undefined}
      >
        {verificationLabel(t, value)}
      </Badge>
    </Tooltip>
  );
}

/** The notice on a factor or article page explaining how far its wording was verified. */
export function VerificationNotice({ value }: { value: VerificationT | null }): ReactNode {
  const { t } = useTranslation();
  const v = value ?? 'unverified';
  const ok = v === 'verified';
  return (
    <Alert
      variant="light"
      color={ok ? 'teal' : 'orange'}
      icon={ok ? <IconInfoCircle aria-hidden /> : <IconAlertTriangle aria-hidden />}
      title={verificationLabel(t, v)}
    >
      {t(`standards.verificationHelp.${v}`)}
    </Alert>
  );
}

/** UNCAC article chips, each a link to the article page. */
export function UncacChips({ refs, label }: { refs: UncacRefT[]; label?: string }): ReactNode {
  const { t } = useTranslation();
  if (refs.length === 0) return null;
  return (
    <Group
      gap={6}
      component="ul"
      aria-label={label ?? t('standards.uncacArticles')}
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {refs.map((r) => (
        <li key={r.code}>
          <Tooltip label={r.title} withArrow>
            <BadgeLink
              to="/standards/uncac/$code"
              params={{ code: r.code }}
              variant="outline"
              tt="none"
              aria-label={`${t('standards.uncacShort', { code: r.code })} — ${r.title}`}
              style={{ cursor: 'pointer' }}
            >
              {t('standards.uncacShort', { code: r.code })}
            </BadgeLink>
          </Tooltip>
        </li>
      ))}
    </Group>
  );
}

const EVIDENCE: ReadonlySet<string> = new Set(EVIDENCE_TYPES);

export function evidenceLabel(t: TFunction, id: string): string {
  return EVIDENCE.has(id) ? t(`standards.evidence.${id as 'report'}`) : id.replaceAll('_', ' ');
}
