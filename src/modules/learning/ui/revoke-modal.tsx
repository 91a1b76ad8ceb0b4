import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { learningKey } from './queries';

/** The certificate to revoke, as the confirmation names it. */
export interface RevokeTarget {
  id: string;
  userName: string;
  courseTitle: string;
}

/** Revokes a certificate with a reason (the report's learner rows and the certificates page). */
export function RevokeModal({
  certificate,
  onClose,
}: {
  certificate: RevokeTarget | null;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () =>
      api.post(`/api/learning/certificates/${certificate!.id}/revoke`, { reason: reason.trim() }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: learningKey });
      notifySuccess(t('learning.revokedOk'));
      setReason('');
      onClose();
    },
  });
  return (
    <Modal
      opened={!!certificate}
      onClose={onClose}
      title={t('learning.revokeTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          revoke.mutate();
        }}
      >
        <Stack>
          <Text size="sm">
            {t('learning.revokeBody', {
              name: certificate?.userName ?? '',
              course: certificate?.courseTitle ?? '',
            })}
          </Text>
          <Textarea
            label={t('learning.revokeReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            minLength={3}
            maxLength={500}
            autosize
            minRows={2}
            data-testid="revoke-reason"
          />
          <ProblemAlert error={revoke.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('learning.cancel')}
            </Button>
            <Button type="submit" color="red" loading={revoke.isPending} disabled={reason.trim().length < 3}>
              {t('learning.revoke')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
