import {
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useForm } from '@mantine/form';
import { IconBuildingPlus, IconMailPlus, IconSend } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '../../../web/i18n';
import { isDevelopment, useHealth } from '../../../web/session';
import {
  type InvitationT,
  ORGANISATION_TYPES,
  type OrganisationInputT,
  type OrganisationT,
  type OrganisationType,
  WCO_REGIONS,
  type WcoRegion,
} from '../../../web/types';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { AnchorLink } from '../../../web/ui-kit/links';
import { notify } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePlatformAdmin } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { platformOrganisationsKey, usePlatformOrganisations } from './queries';
import { emailError, requiredError } from './validation';

// Platform administration: every organisation on the server, a form to create one, and the
// invitation of an organisation's first administrator. The server allows these calls to
// platform administrators only (access: 'platform').

const COUNTRY_PATTERN = /^[A-Za-z]{2}$/;
/** ISO 3166-1 user-assigned codes (the demo's fictional countries): no name to show. */
const USER_ASSIGNED = /^(AA|Q[M-Z]|X[A-Z]|ZZ)$/;

function typeLabel(t: TFunction, type: string): string {
  return (ORGANISATION_TYPES as readonly string[]).includes(type)
    ? t(`platform.types.${type as OrganisationType}`)
    : type;
}

function regionLabel(t: TFunction, region: string): string {
  return (WCO_REGIONS as readonly string[]).includes(region)
    ? t(`platform.regions.${region as WcoRegion}`)
    : region;
}

/** A country's name in the UI language (ISO 3166-1 alpha-2 code in), or null when it has none. */
function useCountryName(): (code: string) => string | null {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    let names: Intl.DisplayNames | undefined;
    try {
      names = new Intl.DisplayNames([lng], { type: 'region', fallback: 'code' });
    } catch {
      names = undefined;
    }
    return (code: string) => {
      if (USER_ASSIGNED.test(code)) return null;
      try {
        const name = names?.of(code);
        return name && name !== code ? name : null;
      } catch {
        return null;
      }
    };
  }, [lng]);
}

function NotSet(): ReactNode {
  const { t } = useTranslation();
  return (
    <Text span size="sm" c="dimmed">
      {t('platform.notSet')}
    </Text>
  );
}

function CountryCell({ code, name }: { code: string; name: string | null }): ReactNode {
  if (!name) return code;
  return (
    <>
      {name}{' '}
      <Text span size="xs" c="dimmed">
        ({code})
      </Text>
    </>
  );
}

function InviteAdminModal({
  organisation,
  onClose,
}: {
  organisation: OrganisationT;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const health = useHealth();
  const dev = isDevelopment(health.data);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', name: '' },
    validate: { email: (v) => emailError(t, v), name: (v) => requiredError(t, v) },
  });
  const invite = useMutation({
    mutationFn: (v: { email: string; name: string }) =>
      api.post<InvitationT>(
        `/api/platform/organisations/${encodeURIComponent(organisation.id)}/invitations`,
        {
          email: v.email.trim(),
          name: v.name.trim(),
        },
      ),
    onSuccess: (inv) => {
      const sent = t('platform.invited', { email: inv.email, organisation: organisation.name });
      notify({
        color: 'teal',
        message: dev ? `${sent} ${t('platform.invitedOutbox')}` : sent,
        autoClose: dev ? 8000 : undefined,
      });
      onClose();
    },
    onError: (err) => applyFieldErrors(form, ['email', 'name'], err),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('platform.inviteAdminTitle', { name: organisation.name })}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={form.onSubmit((v) => invite.mutate(v))} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('platform.inviteHelp')}</Text>
          {dev && (
            <Text size="sm" c="dimmed">
              {t('platform.outboxHint')}{' '}
              <AnchorLink to="/dev/outbox" size="sm" underline="always">
                {t('platform.openOutbox')}
              </AnchorLink>
            </Text>
          )}
          <ProblemAlert error={invite.error} />
          <TextInput
            label={t('platform.email')}
            type="email"
            autoComplete="off"
            required
            data-autofocus
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <TextInput
            label={t('platform.adminName')}
            autoComplete="off"
            required
            maxLength={200}
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} loading={invite.isPending}>
              {t('platform.sendInvitation')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The displayed values of an organisation's columns (shared by the table and the phone cards). */
function useOrganisationCells(): (o: OrganisationT) => {
  type: ReactNode;
  country: ReactNode;
  region: ReactNode;
  language: ReactNode;
} {
  const { t } = useTranslation();
  const countryName = useCountryName();
  return (o) => ({
    type: typeLabel(t, o.type),
    country: o.country ? <CountryCell code={o.country} name={countryName(o.country)} /> : <NotSet />,
    region: o.wcoRegion ? regionLabel(t, o.wcoRegion) : <NotSet />,
    language: isLanguage(o.defaultLocale) ? (
      <span lang={o.defaultLocale}>{LANGUAGE_NAMES[o.defaultLocale]}</span>
    ) : (
      o.defaultLocale
    ),
  });
}

function InviteButton({
  organisation,
  onInvite,
  fullWidth,
}: {
  organisation: OrganisationT;
  onInvite: (o: OrganisationT) => void;
  fullWidth?: boolean;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Button
      size="xs"
      variant="default"
      fullWidth={fullWidth}
      leftSection={<IconMailPlus size={14} aria-hidden />}
      aria-label={t('platform.inviteAdminFor', { name: organisation.name })}
      onClick={() => onInvite(organisation)}
    >
      {t('platform.inviteAdmin')}
    </Button>
  );
}

function OrganisationsTable({
  items,
  onInvite,
}: {
  items: OrganisationT[];
  onInvite: (o: OrganisationT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const cells = useOrganisationCells();
  const caption = t('platform.listCaption', { count: items.length });
  return (
    // The scroll region is named after the caption: the section is already "Organisations".
    <ScrollTable minWidth={860} label={caption}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('platform.name')}</Table.Th>
            <Table.Th scope="col">{t('platform.type')}</Table.Th>
            <Table.Th scope="col">{t('platform.country')}</Table.Th>
            <Table.Th scope="col">{t('platform.wcoRegion')}</Table.Th>
            <Table.Th scope="col">{t('platform.defaultLocale')}</Table.Th>
            <Table.Th scope="col">{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((o) => {
            const c = cells(o);
            return (
              <Table.Tr key={o.id}>
                <Table.Th scope="row" fw={500}>
                  {o.name}
                  {o.shortName && (
                    <Text size="xs" c="dimmed">
                      {o.shortName}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>{c.type}</Table.Td>
                <Table.Td>{c.country}</Table.Td>
                <Table.Td>{c.region}</Table.Td>
                <Table.Td>{c.language}</Table.Td>
                <Table.Td>
                  <InviteButton organisation={o} onInvite={onInvite} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

/** On a phone: one card per organisation, its values as a description list. */
function OrganisationCards({
  items,
  onInvite,
}: {
  items: OrganisationT[];
  onInvite: (o: OrganisationT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const cells = useOrganisationCells();
  const caption = t('platform.listCaption', { count: items.length });
  const term = (label: string) => (
    <Text component="dt" size="xs" c="dimmed">
      {label}
    </Text>
  );
  const value = (node: ReactNode) => (
    <Text component="dd" size="sm" m={0}>
      {node}
    </Text>
  );
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {caption}
      </Text>
      <Stack
        component="ul"
        gap="sm"
        aria-label={caption}
        m={0}
        style={{ listStyle: 'none', paddingInlineStart: 0 }}
      >
        {items.map((o) => {
          const c = cells(o);
          return (
            <Paper component="li" key={o.id} withBorder p="sm" radius="md">
              <Title order={3} size="h5">
                {o.name}
              </Title>
              {o.shortName && (
                <Text size="xs" c="dimmed">
                  {o.shortName}
                </Text>
              )}
              <SimpleGrid component="dl" cols={2} spacing="xs" verticalSpacing={6} my="sm">
                {term(t('platform.type'))}
                {value(c.type)}
                {term(t('platform.country'))}
                {value(c.country)}
                {term(t('platform.wcoRegion'))}
                {value(c.region)}
                {term(t('platform.defaultLocale'))}
                {value(c.language)}
              </SimpleGrid>
              <InviteButton organisation={o} onInvite={onInvite} fullWidth />
            </Paper>
          );
        })}
      </Stack>
    </Stack>
  );
}

function OrganisationsSection(): ReactNode {
  const { t } = useTranslation();
  const organisations = usePlatformOrganisations();
  // The same breakpoint as the app shell's phone layout.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const [inviting, setInviting] = useState<OrganisationT | null>(null);
  return (
    <Section title={t('platform.list')}>
      {organisations.isPending ? (
        <PageLoader />
      ) : organisations.isError ? (
        <QueryError error={organisations.error} onRetry={() => void organisations.refetch()} />
      ) : organisations.data.items.length === 0 ? (
        <Text size="sm">{t('platform.none')}</Text>
      ) : phone ? (
        <OrganisationCards items={organisations.data.items} onInvite={setInviting} />
      ) : (
        <OrganisationsTable items={organisations.data.items} onInvite={setInviting} />
      )}
      {inviting && (
        <InviteAdminModal key={inviting.id} organisation={inviting} onClose={() => setInviting(null)} />
      )}
    </Section>
  );
}

interface NewOrganisationValues {
  type: string;
  name: string;
  shortName: string;
  country: string;
  wcoRegion: string;
  defaultLocale: string;
}

const FIELDS = ['type', 'name', 'shortName', 'country', 'wcoRegion', 'defaultLocale'] as const;

function NewOrganisationSection(): ReactNode {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm<NewOrganisationValues>({
    mode: 'uncontrolled',
    initialValues: {
      type: 'administration',
      name: '',
      shortName: '',
      country: '',
      wcoRegion: '',
      defaultLocale: 'en',
    },
    validate: {
      type: (v) => requiredError(t, v),
      name: (v) =>
        requiredError(t, v) ?? (v.trim().length < 2 ? t('validation.minLength', { count: 2 }) : null),
      country: (v) => (!v.trim() || COUNTRY_PATTERN.test(v.trim()) ? null : t('validation.countryCode')),
      defaultLocale: (v) => requiredError(t, v),
    },
  });
  const create = useMutation({
    mutationFn: (v: NewOrganisationValues) =>
      api.post<OrganisationT>('/api/platform/organisations', {
        type: v.type as OrganisationType,
        name: v.name.trim(),
        shortName: v.shortName.trim() || null,
        country: v.country.trim().toUpperCase() || null,
        wcoRegion: (v.wcoRegion || null) as WcoRegion | null,
        defaultLocale: v.defaultLocale as OrganisationInputT['defaultLocale'],
      } satisfies OrganisationInputT),
    onSuccess: (org) => {
      notify({ color: 'teal', message: t('platform.created', { name: org.name }) });
      form.reset();
      void queryClient.invalidateQueries({ queryKey: platformOrganisationsKey });
    },
    onError: (err) => applyFieldErrors(form, FIELDS, err),
  });

  return (
    <Section title={t('platform.create')} description={t('platform.createHelp')}>
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Stack gap="sm">
          <ProblemAlert error={create.error} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="sm">
            <Select
              label={t('platform.type')}
              data={ORGANISATION_TYPES.map((type) => ({ value: type, label: typeLabel(t, type) }))}
              allowDeselect={false}
              required
              key={form.key('type')}
              {...form.getInputProps('type')}
            />
            <TextInput
              label={t('platform.name')}
              required
              maxLength={200}
              key={form.key('name')}
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('platform.shortName')}
              maxLength={40}
              key={form.key('shortName')}
              {...form.getInputProps('shortName')}
            />
            <TextInput
              label={t('platform.country')}
              description={t('platform.countryHelp')}
              maxLength={2}
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              key={form.key('country')}
              {...form.getInputProps('country')}
            />
            <Select
              label={t('platform.wcoRegion')}
              data={[
                { value: '', label: t('platform.noRegion') },
                ...WCO_REGIONS.map((r) => ({ value: r, label: regionLabel(t, r) })),
              ]}
              allowDeselect={false}
              key={form.key('wcoRegion')}
              {...form.getInputProps('wcoRegion')}
            />
            <Select
              label={t('platform.defaultLocale')}
              data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
              allowDeselect={false}
              required
              key={form.key('defaultLocale')}
              {...form.getInputProps('defaultLocale')}
            />
          </SimpleGrid>
          <Group>
            <Button
              type="submit"
              leftSection={<IconBuildingPlus size={16} aria-hidden />}
              loading={create.isPending}
            >
              {t('platform.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

export function PlatformOrganisationsPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('platform.title')} description={t('platform.description')} />
      <RequirePlatformAdmin>
        <Stack gap="lg">
          <OrganisationsSection />
          <NewOrganisationSection />
        </Stack>
      </RequirePlatformAdmin>
    </>
  );
}
