import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Progress,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import i18next from 'i18next';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../../../web/directory';
import type { Draft } from './channels-draft';
import { type FieldT, textIn } from './channels-queries';

// The preview's own words (step n of m, back, next) in the previewed language: this module's
// catalog of that language is added when the UI runs in another one.
const catalogs = import.meta.glob<Record<string, unknown>>('../../../../locales/*/web.reports.json', {
  import: 'default',
});

function usePreviewCatalog(lang: string): void {
  const [, setLoaded] = useState('');
  useEffect(() => {
    if (i18next.getResource(lang, 'web', 'reports.channels.next')) return;
    const load = catalogs[`../../../../locales/${lang}/web.reports.json`];
    if (!load) return;
    let live = true;
    void load().then((data) => {
      i18next.addResourceBundle(lang, 'web', data, true, false);
      if (live) setLoaded(lang);
    });
    return () => {
      live = false;
    };
  }, [lang]);
}

/** The form as a reporter sees it in `lang`, one step at a time. Nothing is sent. */
export function Preview({
  draft,
  lang,
  step,
  setStep,
}: {
  draft: Draft;
  lang: string;
  /** The step shown: the one being edited, or where the Back / Next buttons went. */
  step: number;
  setStep: (n: number) => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  usePreviewCatalog(lang);
  const total = draft.steps.length;
  const current = Math.min(step, total);
  const text = (x: Partial<Record<string, string>> | undefined) => textIn(x, lang, draft.languages);
  const fields = draft.fields.filter((f) => f.step === current);
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      lang={lang}
      dir={i18n.dir(lang)}
      data-testid="channel-preview"
      aria-label={t('reports.channels.preview')}
      component="section"
    >
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            {text(draft.name)}
          </Title>
          {text(draft.intro) && (
            <Text size="sm" c="dimmed" mt={4}>
              {text(draft.intro)}
            </Text>
          )}
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('reports.channels.previewStep', { n: current, total, lng: lang })}
          </Text>
          <Progress value={(current / total) * 100} size="sm" mt={4} aria-hidden />
        </div>
        {text(draft.steps[current - 1]) && (
          <Title order={4} size="h5">
            {text(draft.steps[current - 1])}
          </Title>
        )}
        {fields.map((f) => (
          <PreviewField key={`${f.id}-${f.type}`} f={f} lang={lang} langs={draft.languages} />
        ))}
        <Group justify="space-between">
          <Button variant="default" disabled={current <= 1} onClick={() => setStep(current - 1)}>
            {t('reports.channels.back', { lng: lang })}
          </Button>
          {current < total ? (
            <Button onClick={() => setStep(current + 1)} data-testid="preview-next">
              {t('reports.channels.next', { lng: lang })}
            </Button>
          ) : (
            <Button disabled>{t('reports.channels.send', { lng: lang })}</Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function PreviewField({ f, lang, langs }: { f: FieldT; lang: string; langs: readonly string[] }): ReactNode {
  const { t } = useTranslation();
  const units = useUnits(f.type === 'office');
  const label = textIn(f.label, lang, langs) || t('reports.channels.untitled', { lng: lang });
  const help = f.help ? textIn(f.help, lang, langs) : undefined;
  const common = { label, description: help || undefined, required: f.required };
  const options = (f.options ?? []).map((o) => ({
    value: o.id,
    label: textIn(o.label, lang, langs) || o.id,
  }));
  switch (f.type) {
    case 'long_text':
      return <Textarea {...common} autosize minRows={3} />;
    case 'single':
      return (
        <Radio.Group {...common}>
          <Stack gap={6} mt={6}>
            {options.map((o) => (
              <Radio key={o.value} value={o.value} label={o.label} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'multiple':
      return (
        <Checkbox.Group {...common}>
          <Stack gap={6} mt={6}>
            {options.map((o) => (
              <Checkbox key={o.value} value={o.value} label={o.label} />
            ))}
          </Stack>
        </Checkbox.Group>
      );
    case 'date':
      return <TextInput {...common} type="date" />;
    case 'office':
      return (
        <NativeSelect
          {...common}
          data={[
            { value: '', label: t('reports.channels.chooseOffice', { lng: lang }) },
            ...(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
      );
    case 'amount':
      return <NumberInput {...common} min={0} />;
    case 'short_text':
      return <TextInput {...common} />;
    default:
      // Attachments (and any type added later): a file input, as on the public page.
      return (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {label}
            {f.required && (
              <Text span c="red">
                {' *'}
              </Text>
            )}
          </Text>
          {help && (
            <Text size="xs" c="dimmed">
              {help}
            </Text>
          )}
          <input type="file" aria-label={label} />
          <Text size="xs" c="dimmed">
            {t('reports.channels.attachmentHint', { lng: lang })}
          </Text>
        </Stack>
      );
  }
}
