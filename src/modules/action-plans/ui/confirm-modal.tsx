import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type UseMutationResult, useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SaveError } from '../../../web/ui-kit/save-error';

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
            {t('common.cancel')}
          </Button>
          <Button color={color} loading={m.isPending} onClick={() => m.mutate()} data-testid={testId}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
