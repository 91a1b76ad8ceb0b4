import { Button, Group, NativeSelect, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../../web/i18n';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { SaveError } from '../../../web/ui-kit/save-error';
import { Section } from '../../../web/ui-kit/section';
import { surveysKey } from './queries';
import type { SurveyDetailT } from './types';

type Texts = Record<string, string>;

/**
 * While a survey is a draft: its questions in another language, side by side with the first
 * language. Saving adds the language to the survey; the server refuses (422, with the question)
 * a language some text is missing in, so a respondent never sees a half-translated form.
 */
export function Translations({
  s,
  onSaved,
}: {
  s: SurveyDetailT;
  onSaved: (s: SurveyDetailT) => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const source = s.languages[0] ?? 'en';
  const choices = LANGUAGES.filter((l) => l !== source);
  const [lang, setLang] = useState<Language>(choices.find((l) => !s.languages.includes(l)) ?? choices[0]!);
  // Typed texts by key: question id, or question id / option id.
  const [texts, setTexts] = useState<Record<string, Texts>>({});
  const key = (q: string, o?: string) => (o ? `${q}/${o}` : q);
  const value = (k: string, current: Texts) => texts[lang]?.[k] ?? current[lang] ?? '';
  const set = (k: string, v: string) => setTexts((all) => ({ ...all, [lang]: { ...all[lang], [k]: v } }));
  // An empty field is left out (not sent as ''), so the server names what is missing (422).
  const withText = (current: Texts, k: string): Texts => {
    const { [lang]: _old, ...rest } = current;
    const typed = value(k, current).trim();
    return typed ? { ...rest, [lang]: typed } : rest;
  };
  const saved = (fresh: SurveyDetailT) => {
    onSaved(fresh);
    qc.invalidateQueries({ queryKey: surveysKey });
  };
  const save = useMutation({
    mutationFn: () => {
      const questions = s.questions.map((q) => ({
        ...q,
        text: withText(q.text, key(q.id)),
        ...(q.options
          ? { options: q.options.map((o) => ({ ...o, text: withText(o.text, key(q.id, o.id)) })) }
          : {}),
      }));
      const languages = s.languages.includes(lang) ? s.languages : [...s.languages, lang];
      return api.patch<SurveyDetailT>(`/api/surveys/${s.id}`, { version: s.version, questions, languages });
    },
    onSuccess: (fresh) => {
      saved(fresh);
      notifySuccess(t('surveys.translation.saved', { language: LANGUAGE_NAMES[lang] }));
    },
  });
  const remove = useMutation({
    mutationFn: () =>
      api.patch<SurveyDetailT>(`/api/surveys/${s.id}`, {
        version: s.version,
        languages: s.languages.filter((l) => l !== lang),
      }),
    onSuccess: saved,
  });
  const reload = async () => onSaved(await api.get<SurveyDetailT>(`/api/surveys/${s.id}`));
  const dir = i18n.dir(lang);
  const row = (k: string, label: string, current: Texts) => (
    <Table.Tr key={k}>
      <Table.Td w="45%">
        <Text size="sm" lang={source}>
          {current[source]}
        </Text>
      </Table.Td>
      <Table.Td>
        <Textarea
          aria-label={t('surveys.translation.field', { text: current[source] ?? label })}
          value={value(k, current)}
          onChange={(e) => set(k, e.currentTarget.value)}
          autosize
          minRows={1}
          dir={dir}
          lang={lang}
        />
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Section title={t('surveys.translation.title')} description={t('surveys.translation.help')}>
      <Stack gap="sm">
        <Group align="flex-end" gap="sm">
          <NativeSelect
            label={t('surveys.translation.language')}
            value={lang}
            onChange={(e) => setLang(e.currentTarget.value as Language)}
            data={choices.map((l) => ({
              value: l,
              label: s.languages.includes(l)
                ? t('surveys.translation.present', { language: LANGUAGE_NAMES[l] })
                : LANGUAGE_NAMES[l],
            }))}
            maw={280}
          />
          {s.languages.includes(lang) && (
            <Button variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              {t('surveys.translation.remove', { language: LANGUAGE_NAMES[lang] })}
            </Button>
          )}
        </Group>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{LANGUAGE_NAMES[source as Language] ?? source}</Table.Th>
              <Table.Th scope="col">{LANGUAGE_NAMES[lang]}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.questions.flatMap((q) => [
              row(key(q.id), q.id, q.text),
              ...(q.options ?? []).map((o) => row(key(q.id, o.id), o.id, o.text)),
            ])}
          </Table.Tbody>
        </Table>
        <SaveError error={save.error ?? remove.error} onReload={reload} />
        <Group justify="flex-end">
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('surveys.translation.save', { language: LANGUAGE_NAMES[lang] })}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
