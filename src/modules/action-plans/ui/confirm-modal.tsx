import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { type UseMutationResult, useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../web/api';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';

/** True when the server refused a save because the record changed since it was read. */
export const isVersionConflict = (e: unknown) => isApiError(e, 'VERSION_CONFLICT');

/**
 * A 409 VERSION_CONFLICT as a clear message with a reload button; any other error as the usual
 * problem alert. Reloading refreshes the page's data (so the next save carries the current
 * version) and leaves what the user typed in the form.
 */
export function SaveError({ error, onReload }: { error: unknown; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const [reloading, setReloading] = useState(false);
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
      title={t('actionPlans.conflict.title')}
      data-testid="version-conflict"
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{done ? t('actionPlans.conflict.reloaded') : t('actionPlans.conflict.text')}</Text>
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
            {t('actionPlans.conflict.reload')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** A confirmation dialog for a destructive or significant step, with its error (409 included). */
export function ConfirmModal({
  title,
  body,
  confirmLabel,
  color = 'red',
  run,
  onDone,
  onClose,
  onReload,
  testId,
}: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  color?: string;
  run: () => Promise<unknown>;
  onDone: () => void;
  onClose: () => void;
  onReload: () => unknown;
  testId?: string;
}): ReactNode {
  const { t } = useTranslation();
  const m: UseMutationResult<unknown, Error, void> = useMutation({
    mutationFn: run,
    onSuccess: () => {
      onDone();
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        {typeof body === 'string' ? <Text size="sm">{body}</Text> : body}
        <SaveError error={m.error} onReload={onReload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('actionPlans.cancel')}
          </Button>
          <Button color={color} loading={m.isPending} onClick={() => m.mutate()} data-testid={testId}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
