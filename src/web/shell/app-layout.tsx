import { AppShell, Burger, Divider, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage, isLanguage } from '../i18n';
import { visibleEntries } from '../modules';
import { useHealth, useMe } from '../session';
import { PageLoader } from '../ui-kit/page-state';
import { ColorSchemeToggle } from './color-scheme-toggle';
import { LanguageSwitcher } from './language-switcher';
import { NotificationsBell } from './notifications-bell';
import { Logo } from './logo';
import { OrgSwitcher } from './org-switcher';
import { UserMenu } from './user-menu';

function matches(pathname: string, to: string): boolean {
  return to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
}

/** The account's saved language wins once the user is known. */
function useAccountLanguage(): void {
  const me = useMe();
  const locale = me.user.locale;
  useEffect(() => {
    if (isLanguage(locale) && locale !== currentLanguage()) void changeLanguage(locale);
  }, [locale]);
}

function Navigation({ onNavigate }: { onNavigate: () => void }): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const health = useHealth();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const entries = visibleEntries(me, health.data);
  // The most specific entry is the active one (/standards/uncac, not also /standards).
  const activeId = entries
    .filter((e) => matches(pathname, e.to))
    .sort((a, b) => b.to.length - a.to.length)[0]?.id;
  return (
    <Stack gap={2}>
      {entries.map((entry) => {
        const Icon = entry.icon;
        const active = entry.id === activeId;
        return (
          <NavLink
            key={entry.id}
            label={entry.label(t)}
            leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
            // The Link would also mark itself current by prefix (/learning on /learning/courses):
            // exact keeps it to the one entry chosen above, which passes its own aria-current.
            renderRoot={(props) => <Link to={entry.to} activeOptions={{ exact: true }} {...props} />}
          />
        );
      })}
    </Stack>
  );
}

export function AppLayout(): ReactNode {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const narrow = useMediaQuery('(max-width: 74.99em)', false, { getInitialValueInEffect: false });
  const me = useMe();
  useAccountLanguage();

  return (
    <>
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding={{ base: 'sm', sm: 'lg' }}
      >
        <AppShell.Header component="header">
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? t('shell.closeNavigation') : t('shell.openNavigation')}
                aria-expanded={opened}
                aria-controls="main-navigation"
              />
              <Logo />
            </Group>
            <Group gap="xs" wrap="nowrap">
              {!phone && <OrgSwitcher w={narrow ? 180 : 260} />}
              {!phone && <LanguageSwitcher w={narrow ? 130 : 150} />}
              {me.activeOrganisation && <NotificationsBell />}
              <ColorSchemeToggle />
              <UserMenu compact={narrow} />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar
          id="main-navigation"
          component="nav"
          aria-label={t('shell.mainNavigation')}
          p="sm"
          // Collapsed on a phone, the navbar is only moved off-screen: keep its links out of the
          // tab order and the accessibility tree until the burger opens it.
          inert={phone && !opened}
        >
          {phone && (
            <Stack gap="xs" mb="sm">
              <OrgSwitcher w="100%" />
              <LanguageSwitcher w="100%" />
              <Divider />
            </Stack>
          )}
          <AppShell.Section grow component={ScrollArea}>
            <Navigation onNavigate={close} />
          </AppShell.Section>
          {me.activeOrganisation && (
            <AppShell.Section>
              <Divider mb="xs" />
              <Text size="xs" c="dimmed" px="xs">
                {me.activeOrganisation.name}
              </Text>
            </AppShell.Section>
          )}
        </AppShell.Navbar>

        <AppShell.Main id="main" component="main" tabIndex={-1}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
