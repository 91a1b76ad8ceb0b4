import { Alert, Button, Center, Container, Loader, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import type { ErrorComponentProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api';
import { ButtonLink } from './links';

export function PageLoader(): ReactNode {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status">
      <Loader aria-hidden />
      <VisuallyHidden>{t('common.loading')}</VisuallyHidden>
    </Center>
  );
}

export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }): ReactNode {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title={t('errors.loadFailed')}
      icon={<IconAlertTriangle aria-hidden />}
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps): ReactNode {
  return (
    <Container size="sm" py="xl">
      <QueryError error={error} onRetry={reset} />
    </Container>
  );
}

export function NotFoundPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl" component="main">
      <Stack align="flex-start">
        <Title order={1}>{t('notFound.title')}</Title>
        <Text>{t('notFound.body')}</Text>
        <ButtonLink to="/">{t('notFound.home')}</ButtonLink>
      </Stack>
    </Container>
  );
}

export function Forbidden(): ReactNode {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light" title={t('forbidden.title')} icon={<IconLock aria-hidden />}>
      {t('forbidden.body')}
    </Alert>
  );
}
