import { Badge, Container, Group, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { KeySetup, LockButton, RecoverForm, UnlockForm } from './keys';
import { useKeyStatus } from './queries';

export function ReportKeysPage(): ReactNode {
  return (
    <RequirePermission permission="reports.handle">
      <KeysView />
    </RequirePermission>
  );
}

function KeysView(): ReactNode {
  const { t } = useTranslation();
  const keys = useKeyStatus();
  // The set-up stays on screen until the recovery key is confirmed stored, whatever the status says.
  const [showingRecovery, setShowingRecovery] = useState(false);
  return (
    <Container size="md" px={0}>
      <PageHeader
        title={t('reports.keys.title')}
        description={t('reports.keys.intro')}
        crumbs={[{ label: t('reports.inbox.title'), to: '/reports' }]}
      />
      {keys.isPending ? (
        <PageLoader />
      ) : keys.isError ? (
        <QueryError error={keys.error} onRetry={() => keys.refetch()} />
      ) : !keys.data.hasKey || showingRecovery ? (
        <Section title={t('reports.keys.setupTitle')}>
          <KeySetup onCreated={() => setShowingRecovery(true)} onDone={() => setShowingRecovery(false)} />
        </Section>
      ) : (
        <Stack gap="lg">
          <Section title={t('reports.keys.statusTitle')}>
            <Group justify="space-between">
              <Group gap="xs">
                <Text size="sm">{t('reports.keys.statusLabel')}</Text>
                <Badge
                  color={keys.data.unlocked ? 'teal' : 'orange'}
                  variant="light"
                  data-testid="keys-status"
                >
                  {keys.data.unlocked ? t('reports.keys.unlockedBadge') : t('reports.keys.lockedBadge')}
                </Badge>
              </Group>
              {keys.data.unlocked && <LockButton />}
            </Group>
            <Text size="sm" c="dimmed">
              {t('reports.keys.sessionHint')}
            </Text>
            {!keys.data.unlocked && <UnlockForm />}
          </Section>
          <Section title={t('reports.keys.recoverTitle')} description={t('reports.keys.recoverText')}>
            <RecoverForm />
          </Section>
        </Stack>
      )}
    </Container>
  );
}
