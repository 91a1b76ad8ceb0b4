import { Alert, Button, Container, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../web/api';
import { AnswerForm, type Draft } from './answer-form';
import type { PublicFormT } from './types';

// Answering without signing in. The token (one-time or open link) comes from the address's
// #fragment — browsers never send it to the server, so it is in no request log — or is typed
// in from a printed card; it goes to the API in POST bodies only.

const tokenFromHash = () => new URLSearchParams(window.location.hash.slice(1)).get('t') ?? '';
/** Progress is kept per token on this device; the key is a digest, not the token itself. */
async function storageKey(token: string) {
  const data = new TextEncoder().encode(token.toUpperCase().replace(/[^A-Z0-9]/g, ''));
  const digest = await crypto.subtle.digest('SHA-256', data);
  return `arusha.survey.${[...new Uint8Array(digest)]
    .slice(0, 8)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')}`;
}

export function AnswerPage(): ReactNode {
  const { t, i18n } = useTranslation();
  useDocumentTitle(`${t('surveys.answer.title')} · ${t('app.name')}`);
  const [token, setToken] = useState(tokenFromHash);
  const [typed, setTyped] = useState('');
  const [form, setForm] = useState<PublicFormT | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    if (!token) return;
    let live = true;
    setError(null);
    api
      .post<PublicFormT>('/api/surveys/public/form', { token }, { authRedirect: false })
      .then(async (f) => {
        if (!live) return;
        setKey(await storageKey(token));
        setForm(f);
      })
      .catch((e) => live && setError(message(e)));
    return () => {
      live = false;
    };
    // the form's language follows the reader's
  }, [token, i18n.language]);

  const message = (e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return t('surveys.answer.unknown');
    if (e instanceof ApiError && e.status === 409)
      return /not open/.test(e.problem.detail ?? '') ? t('surveys.answer.notOpen') : t('surveys.answer.used');
    if (e instanceof ApiError && e.status === 410) return t('surveys.answer.closed');
    if (e instanceof ApiError && e.status === 422) return t('surveys.answer.invalid');
    return t('surveys.answer.offline');
  };

  const submit = async (d: Draft) => {
    setSubmitting(true);
    setError(null);
    try {
      await api.post(
        '/api/surveys/public/submit',
        { token, bands: d.bands, answers: d.answers },
        { authRedirect: false },
      );
      if (key) localStorage.removeItem(key);
      setDone(true);
      // the token is spent: drop it from the address bar and history
      history.replaceState(null, '', window.location.pathname);
    } catch (e) {
      setError(message(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Container size="sm" px="xs">
      <Stack gap="md">
        <Title order={1} size="h2">
          {form?.name ?? t('surveys.answer.title')}
        </Title>
        {done ? (
          <Alert color="teal" data-testid="answer-thanks">
            {t('surveys.answer.thanks')}
          </Alert>
        ) : (
          <>
            <Text size="sm">{t('surveys.answer.anonymous')}</Text>
            {error && (
              <Alert color="red" role="alert" data-testid="answer-error">
                {error}
              </Alert>
            )}
            {!token && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  setToken(typed.trim());
                }}
              >
                <Stack gap="xs">
                  <TextInput
                    label={t('surveys.answer.token')}
                    description={t('surveys.answer.tokenHelp')}
                    value={typed}
                    onChange={(e) => setTyped(e.currentTarget.value)}
                    autoComplete="off"
                    spellCheck={false}
                    dir="ltr"
                    data-testid="answer-token"
                  />
                  <Button type="submit">{t('surveys.answer.start')}</Button>
                </Stack>
              </form>
            )}
            {form && <AnswerForm form={form} storageKey={key} submitting={submitting} onSubmit={submit} />}
          </>
        )}
      </Stack>
    </Container>
  );
}
