import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconArrowDown,
  IconArrowUp,
  IconChevronDown,
  IconChevronRight,
  IconInfoCircle,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_TYPES, type FieldType } from '../reports.vocab';
import { type Draft, freshId, isChoice, mayBeStatistical, missingIn, problemsAt } from './channels-draft';
import { type FieldT, type Texts, textIn } from './channels-queries';

type Update = (fn: (d: Draft) => Draft) => void;

/** One text of `t` in `lang`, marked when another language has it and this one not. */
function LangText({
  label,
  value,
  lang,
  langs,
  onChange,
  multiline,
  required,
  testId,
  error,
}: {
  label: string;
  value: Texts | undefined;
  lang: string;
  langs: readonly string[];
  onChange: (t: Texts) => void;
  multiline?: boolean;
  required?: boolean;
  testId?: string;
  error?: string;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const own = value?.[lang] ?? '';
  const other = textIn(value, langs.find((l) => l !== lang && value?.[l]) ?? lang, langs);
  const missing = !own.trim() && (required || !!other);
  const props = {
    label,
    value: own,
    lang,
    dir: i18n.dir(lang),
    placeholder: other,
    error,
    'data-testid': testId,
    'data-missing': missing || undefined,
    description: missing ? (
      <Text span size="xs" c="orange.8" fw={500}>
        {t('reports.channels.missing')}
      </Text>
    ) : undefined,
    styles: missing ? { input: { borderColor: 'var(--mantine-color-orange-5)' } } : undefined,
    onChange: (e: { currentTarget: { value: string } }) =>
      onChange({ ...value, [lang]: e.currentTarget.value }),
  };
  return multiline ? <Textarea autosize minRows={1} maxRows={6} {...props} /> : <TextInput {...props} />;
}

/** The questionnaire: steps, each with its fields, edited in one language (`lang`) at a time. */
export function Builder({
  draft,
  update,
  lang,
  problems,
  onStepFocus,
}: {
  draft: Draft;
  update: Update;
  lang: string;
  problems: Map<string, string[]>;
  /** A step's title or one of its fields got the focus. */
  onStepFocus: (n: number) => void;
}): ReactNode {
  const { t } = useTranslation();
  const steps = draft.steps.length;
  const setFields = (fn: (fs: FieldT[]) => FieldT[]) => update((d) => ({ ...d, fields: fn(d.fields) }));
  // Which field cards are open, by position in the questionnaire (kept in step with moves).
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const remapOpen = (fn: (i: number) => number | null, add?: number) =>
    setOpen((o) => {
      const out = new Set<number>();
      for (const i of o) {
        const j = fn(i);
        if (j !== null) out.add(j);
      }
      if (add !== undefined) out.add(add);
      return out;
    });
  const toggle = (i: number) =>
    setOpen((o) => {
      const out = new Set(o);
      if (!out.delete(i)) out.add(i);
      return out;
    });
  // Move within the step: swap with the previous / next field of the same step.
  const moveField = (index: number, by: -1 | 1) => {
    const fs = draft.fields;
    const same = fs.map((x, j) => ({ x, j })).filter((y) => y.x.step === fs[index]!.step);
    const other = same[same.findIndex((y) => y.j === index) + by];
    if (!other) return;
    setFields((all) => {
      const out = [...all];
      [out[index], out[other.j]] = [out[other.j]!, out[index]!];
      return out;
    });
    remapOpen((i) => (i === index ? other.j : i === other.j ? index : i));
  };
  const removeField = (index: number) => {
    setFields((fs) => fs.filter((_, j) => j !== index));
    remapOpen((i) => (i === index ? null : i > index ? i - 1 : i));
  };
  const addField = (n: number) => {
    const fs = draft.fields;
    // After the step's last field, so the array order stays the reading order.
    const at = fs.reduce((last, x, j) => (x.step <= n ? j : last), -1) + 1;
    const f: FieldT = {
      id: freshId(fs, 'field'),
      type: 'short_text',
      step: n,
      required: false,
      statistical: false,
      label: {},
    };
    setFields((all) => [...all.slice(0, at), f, ...all.slice(at)]);
    remapOpen((i) => (i >= at ? i + 1 : i), at);
  };
  const moveStep = (i: number, by: -1 | 1) =>
    update((d) => {
      const a = i + 1;
      const b = a + by;
      const titles = [...d.steps];
      [titles[i], titles[i + by]] = [titles[i + by]!, titles[i]!];
      const fields = d.fields.map((f) =>
        f.step === a ? { ...f, step: b } : f.step === b ? { ...f, step: a } : f,
      );
      return { ...d, steps: titles, fields };
    });
  const removeStep = (i: number) =>
    update((d) => ({
      ...d,
      steps: d.steps.filter((_, j) => j !== i),
      fields: d.fields.map((f) => (f.step > i + 1 ? { ...f, step: f.step - 1 } : f)),
    }));
  return (
    <Stack gap="lg">
      {draft.steps.map((title, i) => {
        const n = i + 1;
        const fields = draft.fields.map((f, index) => ({ f, index })).filter((x) => x.f.step === n);
        return (
          <Paper
            key={i}
            withBorder
            radius="md"
            p="md"
            bg="var(--mantine-color-gray-light)"
            data-testid={`step-${n}`}
            onFocusCapture={() => onStepFocus(n)}
          >
            <Stack gap="sm">
              <Group justify="space-between" align="flex-end" wrap="nowrap" gap="xs">
                <Group gap="sm" align="flex-end" wrap="nowrap" style={{ flex: 1 }}>
                  <Title order={3} size="h5" style={{ whiteSpace: 'nowrap' }} mb={8}>
                    {t('reports.channels.stepN', { n })}
                  </Title>
                  <div style={{ flex: 1 }}>
                    <LangText
                      label={t('reports.channels.stepTitle')}
                      value={title}
                      lang={lang}
                      langs={draft.languages}
                      testId={`step-title-${n}`}
                      onChange={(v) =>
                        update((d) => ({ ...d, steps: d.steps.map((s, j) => (j === i ? v : s)) }))
                      }
                    />
                  </div>
                </Group>
                <Group gap={4} wrap="nowrap" mb={4}>
                  <ActionIcon
                    variant="default"
                    disabled={i === 0}
                    onClick={() => moveStep(i, -1)}
                    aria-label={t('reports.channels.stepUp', { n })}
                  >
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon
                    variant="default"
                    disabled={i === steps - 1}
                    onClick={() => moveStep(i, 1)}
                    aria-label={t('reports.channels.stepDown', { n })}
                  >
                    <IconArrowDown size={16} aria-hidden />
                  </ActionIcon>
                  <Tooltip
                    label={
                      fields.length
                        ? t('reports.channels.removeStepBlocked')
                        : t('reports.channels.removeStep', { n })
                    }
                    withArrow
                  >
                    <ActionIcon
                      variant="default"
                      color="red"
                      disabled={fields.length > 0 || steps === 1}
                      onClick={() => removeStep(i)}
                      aria-label={t('reports.channels.removeStep', { n })}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Group>
              {fields.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('reports.channels.noFields')}
                </Text>
              )}
              {fields.map(({ f, index }, k) => (
                <FieldCard
                  key={index}
                  f={f}
                  index={index}
                  first={k === 0}
                  last={k === fields.length - 1}
                  open={open.has(index)}
                  onToggle={() => toggle(index)}
                  onMove={(by) => moveField(index, by)}
                  onRemove={() => removeField(index)}
                  steps={steps}
                  lang={lang}
                  langs={draft.languages}
                  problems={problems}
                  setFields={setFields}
                />
              ))}
              <Group>
                <Button
                  variant="light"
                  size="xs"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() => addField(n)}
                  data-testid={`add-field-${n}`}
                >
                  {t('reports.channels.addField')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        );
      })}
      <Group>
        <Button
          variant="default"
          leftSection={<IconPlus size={16} aria-hidden />}
          disabled={steps >= 10}
          onClick={() => update((d) => ({ ...d, steps: [...d.steps, {}] }))}
          data-testid="add-step"
        >
          {t('reports.channels.addStep')}
        </Button>
      </Group>
    </Stack>
  );
}

function FieldCard({
  f,
  index,
  first,
  last,
  open,
  onToggle,
  onMove,
  onRemove,
  steps,
  lang,
  langs,
  problems,
  setFields,
}: {
  f: FieldT;
  index: number;
  first: boolean;
  last: boolean;
  open: boolean;
  onToggle: () => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  steps: number;
  lang: string;
  langs: readonly string[];
  problems: Map<string, string[]>;
  setFields: (fn: (fs: FieldT[]) => FieldT[]) => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const set = (patch: Partial<FieldT>) =>
    setFields((fs) => fs.map((x, j) => (j === index ? ({ ...x, ...patch } as FieldT) : x)));
  const at = (p: string) => problemsAt(problems, `questionnaire.${index}${p ? `.${p}` : ''}`);
  const own = (p: string) => at(p).join(' · ') || undefined;
  const label = textIn(f.label, lang, langs) || t('reports.channels.untitled');
  const missing = missingIn(f, lang);
  const statisticalAllowed = mayBeStatistical(f.type);
  const general = at('').filter((m) => !/^(label|help|options|type|id|statistical|step)\b/.test(m));
  const bodyId = useId();
  const Chevron = open ? IconChevronDown : IconChevronRight;
  // A card with problems opens by itself, so that the messages are seen.
  const shown = open || at('').length > 0;
  return (
    <Paper
      withBorder
      radius="md"
      p={shown ? 'md' : 'xs'}
      data-testid="field-card"
      data-field-id={f.id}
      component="section"
      aria-label={label}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="center">
          <Group gap="xs" wrap="wrap" style={{ flex: 1, minWidth: 0 }}>
            <UnstyledButton
              onClick={onToggle}
              aria-expanded={shown}
              aria-controls={bodyId}
              data-testid="field-toggle"
              style={{ display: 'flex', alignItems: 'center', gap: 6 }}
            >
              <Chevron
                size={16}
                aria-hidden
                style={{ flex: 'none', transform: i18n.dir() === 'rtl' && !shown ? 'scaleX(-1)' : undefined }}
              />
              <Text fw={600} size="sm" c={textIn(f.label, lang, langs) ? undefined : 'dimmed'}>
                {label}
              </Text>
            </UnstyledButton>
            <Badge variant="light" color="gray" tt="none">
              {t(`reports.channels.types.${f.type}` as 'reports.channels.types.short_text')}
            </Badge>
            {f.required && (
              <Badge variant="light" color="blue" tt="none">
                {t('reports.channels.required')}
              </Badge>
            )}
            {f.statistical && (
              <Badge variant="light" color="grape" tt="none">
                {t('reports.channels.statistical')}
              </Badge>
            )}
            {missing > 0 && (
              <Badge variant="light" color="orange" tt="none">
                {t('reports.channels.missing')}
              </Badge>
            )}
          </Group>
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="default"
              disabled={first}
              onClick={() => onMove(-1)}
              aria-label={t('reports.channels.fieldUp', { label })}
            >
              <IconArrowUp size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon
              variant="default"
              disabled={last}
              onClick={() => onMove(1)}
              aria-label={t('reports.channels.fieldDown', { label })}
            >
              <IconArrowDown size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon
              variant="default"
              color="red"
              onClick={onRemove}
              aria-label={`${t('reports.channels.removeField')} — ${label}`}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        </Group>
        {shown && (
          <Stack gap="sm" id={bodyId}>
            <LangText
              label={t('reports.channels.label')}
              value={f.label}
              lang={lang}
              langs={langs}
              required
              onChange={(label) => set({ label })}
              testId="field-label"
              error={own('label')}
            />
            <LangText
              label={t('reports.channels.help')}
              value={f.help}
              lang={lang}
              langs={langs}
              multiline
              onChange={(help) => set({ help })}
              error={own('help')}
            />
            <Group grow align="flex-start" gap="sm">
              <NativeSelect
                label={t('reports.channels.type')}
                value={f.type}
                data={FIELD_TYPES.map((x) => ({
                  value: x,
                  label: t(`reports.channels.types.${x}` as 'reports.channels.types.short_text'),
                }))}
                onChange={(e) => {
                  const type = e.currentTarget.value as FieldType;
                  set({
                    type,
                    options: isChoice(type)
                      ? (f.options ?? [
                          { id: 'option_1', label: {} },
                          { id: 'option_2', label: {} },
                        ])
                      : undefined,
                    statistical: f.statistical && mayBeStatistical(type),
                    maxLength: type === 'short_text' || type === 'long_text' ? f.maxLength : undefined,
                  });
                }}
                error={own('type')}
                data-testid="field-type"
              />
              <NativeSelect
                label={t('reports.channels.moveToStep')}
                value={String(f.step)}
                data={Array.from({ length: steps }, (_, i) => ({
                  value: String(i + 1),
                  label: t('reports.channels.stepN', { n: i + 1 }),
                }))}
                onChange={(e) => set({ step: Number(e.currentTarget.value) })}
                error={own('step')}
              />
              <TextInput
                label={t('reports.channels.fieldId')}
                description={t('reports.channels.fieldIdHelp')}
                value={f.id}
                dir="ltr"
                onChange={(e) => set({ id: e.currentTarget.value.toLowerCase().replace(/[^a-z0-9_]/g, '_') })}
                error={own('id')}
                data-testid="field-id"
              />
            </Group>
            <Group gap="lg">
              <Switch
                label={t('reports.channels.required')}
                checked={f.required}
                onChange={(e) => set({ required: e.currentTarget.checked })}
                data-testid="field-required"
              />
              <Group gap={6} wrap="nowrap">
                <Switch
                  label={t('reports.channels.statistical')}
                  checked={f.statistical}
                  disabled={!statisticalAllowed}
                  onChange={(e) => set({ statistical: e.currentTarget.checked })}
                  description={statisticalAllowed ? undefined : t('reports.channels.statisticalNotAllowed')}
                  error={own('statistical')}
                  data-testid="field-statistical"
                />
                <Tooltip
                  label={t('reports.channels.statisticalHelp')}
                  multiline
                  w={300}
                  withArrow
                  events={{ hover: true, focus: true, touch: true }}
                >
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="sm"
                    aria-label={t('reports.channels.statisticalHelp')}
                  >
                    <IconInfoCircle size={16} aria-hidden />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
            {f.options && (
              <Stack gap={6}>
                <Text size="sm" fw={500}>
                  {t('reports.channels.options')}
                </Text>
                {f.options.map((o, k) => (
                  <Group key={k} gap="xs" align="flex-start" wrap="nowrap">
                    <TextInput
                      aria-label={`${t('reports.channels.optionId')} ${k + 1}`}
                      value={o.id}
                      dir="ltr"
                      w={140}
                      onChange={(e) =>
                        set({
                          options: f.options!.map((x, j) =>
                            j === k
                              ? { ...x, id: e.currentTarget.value.toLowerCase().replace(/[^a-z0-9_]/g, '_') }
                              : x,
                          ),
                        })
                      }
                      error={own(`options.${k}.id`)}
                    />
                    <div style={{ flex: 1 }}>
                      <OptionLabel
                        k={k}
                        value={o.label}
                        lang={lang}
                        langs={langs}
                        error={own(`options.${k}.label`)}
                        onChange={(label) =>
                          set({ options: f.options!.map((x, j) => (j === k ? { ...x, label } : x)) })
                        }
                      />
                    </div>
                    <Tooltip label={t('reports.channels.escalatesHelp')} multiline w={280} withArrow>
                      <Checkbox
                        mt={8}
                        label={t('reports.channels.escalates')}
                        checked={!!o.escalates}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          set({
                            options: f.options!.map((x, j) =>
                              j === k ? { id: x.id, label: x.label, ...(on ? { escalates: true } : {}) } : x,
                            ),
                          });
                        }}
                        data-testid="option-escalates"
                      />
                    </Tooltip>
                    <ActionIcon
                      variant="default"
                      color="red"
                      mt={4}
                      disabled={f.options!.length <= 2}
                      onClick={() => set({ options: f.options!.filter((_, j) => j !== k) })}
                      aria-label={t('reports.channels.removeOption', { n: k + 1 })}
                    >
                      <IconTrash size={14} aria-hidden />
                    </ActionIcon>
                  </Group>
                ))}
                {own('options') && (
                  <Text size="xs" c="red">
                    {at('options')
                      .filter((m) => !/^\d/.test(m))
                      .join(' · ')}
                  </Text>
                )}
                <Group>
                  <Button
                    size="xs"
                    variant="subtle"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    disabled={f.options.length >= 30}
                    onClick={() => {
                      const ids = new Set(f.options!.map((o) => o.id));
                      let n = f.options!.length + 1;
                      while (ids.has(`option_${n}`)) n++;
                      set({ options: [...f.options!, { id: `option_${n}`, label: {} }] });
                    }}
                    data-testid="add-option"
                  >
                    {t('reports.channels.addOption')}
                  </Button>
                </Group>
              </Stack>
            )}
            {general.length > 0 && (
              <Alert color="red" variant="light" p="xs" role="alert">
                <Text size="sm">{general.join(' · ')}</Text>
              </Alert>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function OptionLabel(props: {
  k: number;
  value: Texts;
  lang: string;
  langs: readonly string[];
  error?: string;
  onChange: (t: Texts) => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const own = props.value[props.lang] ?? '';
  const other = textIn(
    props.value,
    props.langs.find((l) => l !== props.lang && props.value[l]) ?? props.lang,
  );
  const missing = !own.trim();
  return (
    <TextInput
      aria-label={t('reports.channels.option', { n: props.k + 1 })}
      value={own}
      lang={props.lang}
      dir={i18n.dir(props.lang)}
      placeholder={other || t('reports.channels.option', { n: props.k + 1 })}
      error={props.error}
      description={
        missing ? (
          <Text span size="xs" c="orange.8" fw={500}>
            {t('reports.channels.missing')}
          </Text>
        ) : undefined
      }
      inputWrapperOrder={['input', 'description', 'error']}
      styles={missing ? { input: { borderColor: 'var(--mantine-color-orange-5)' } } : undefined}
      data-missing={missing || undefined}
      data-testid="option-label"
      onChange={(e) => props.onChange({ ...props.value, [props.lang]: e.currentTarget.value })}
    />
  );
}
