import { Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../../web/session';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { AuditSection } from './audit-section';
import { InviteSection } from './invite-section';
import { MembersSection } from './members-section';
import { UnitsSection } from './units-section';

export function OrganisationPage(): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const canInvite = useCan('identity.members.invite');
  const canAudit = useCan('identity.audit.read');
  return (
    <>
      <PageHeader title={t('organisation.title')} description={me.activeOrganisation?.name} />
      <RequirePermission permission="identity.members.read">
        <Stack gap="lg">
          <MembersSection />
          {canInvite && <InviteSection />}
          <UnitsSection />
          {canAudit && <AuditSection />}
        </Stack>
      </RequirePermission>
    </>
  );
}
