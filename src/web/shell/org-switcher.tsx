import { Select } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { meQuery, useMe } from '../session';
import type { MeT } from '../types';
import { notify } from '../ui-kit/notify';

/** The active organisation (tenant). Switching reloads every query for the new tenant. */
export function OrgSwitcher({ w = 240 }: { w?: number | string }): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const switchOrg = useMutation({
    mutationFn: (organisationId: string) => api.post<MeT>('/api/me/organisation', { organisationId }),
    onSuccess: async (updated, organisationId) => {
      queryClient.setQueryData(meQuery.queryKey, updated);
      // Everything else belonged to the previous organisation.
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      const org = me.organisations.find((o) => o.id === organisationId);
      notify({ color: 'teal', message: t('shell.organisationSwitched', { name: org?.name ?? '' }) });
    },
    onError: (err) => notify({ color: 'red', title: t('errors.title'), message: errorMessage(err) }),
  });
  if (me.organisations.length === 0) return null;
  return (
    <Select
      data-testid="org-switcher"
      aria-label={t('shell.organisation')}
      data={me.organisations.map((o) => ({ value: o.id, label: o.name }))}
      value={me.activeOrganisation?.id ?? null}
      placeholder={t('shell.chooseOrganisation')}
      onChange={(id) => {
        if (id && id !== me.activeOrganisation?.id) switchOrg.mutate(id);
      }}
      allowDeselect={false}
      disabled={switchOrg.isPending}
      leftSection={<IconBuilding size={16} aria-hidden />}
      w={w}
      comboboxProps={{ withinPortal: true, zIndex: 400 }}
    />
  );
}
