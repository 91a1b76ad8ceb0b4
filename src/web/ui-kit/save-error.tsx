import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, isApiError } from '../api';
import { ProblemAlert } from './problem-errors';

/** True when the server refused a save because the record changed since it was read (409). */
export const isVersionConflict = (e: unknown): e is ApiError => isApiError(e, 'VERSION_CONFLICT');

/**
 * The error of a save. A 409 VERSION_CONFLICT is a clear orange message with a reload button; any
 * other error is the usual problem alert. `onReload` refreshes the data so that the next save
 * carries the current version; it must leave what the user typed in the form (the message says so).
 * `detail` adds what the module knows about the conflict (who saved, the current version…).
 */
export function SaveError({
  error,
  onReload,
  detail,
  testId = 'version-conflict',
}: {
  error: unknown;
  onReload: () => unknown;
  detail?: ReactNode;
  testId?: string;
}): ReactNode {
  const { t } = useTranslation();
  const [reloading, setReloading] = useState(false);
  // The error the last reload answered: a new 409 after it asks for a reload again.
  const [reloaded, setReloaded] = useState<unknown>(null);
  if (!error) return null;
  if (!isVersionConflict(error)) return <ProblemAlert error={error} />;
  const done = reloaded === error;
  return (
    <Alert
      color="orange"
      variant="light"
      role="alert"
      icon={<IconAlertTriangle aria-hidden />}
      title={t('conflict.title')}
      data-testid={testId}
    >
      <Stack gap="xs" align="flex-start">
        {detail && !done && <Text size="sm">{detail}</Text>}
        <Text size="sm">{done ? t('conflict.reloaded') : t('conflict.text')}</Text>
        {!done && (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} aria-hidden />}
            loading={reloading}
            onClick={async () => {
              setReloading(true);
              try {
                await onReload();
                setReloaded(error);
              } finally {
                setReloading(false);
              }
            }}
            data-testid="conflict-reload"
          >
            {t('common.reload')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
