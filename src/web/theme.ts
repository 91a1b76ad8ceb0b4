import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  localStorageColorSchemeManager,
} from '@mantine/core';

// Shade 8 of blue keeps white-on-primary and primary-on-white above 4.5:1 (WCAG AA).
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    // Required fields carry the `required` attribute; no visual asterisk in the label text.
    InputWrapper: { defaultProps: { withAsterisk: false } },
  },
});

/** Darker "dimmed" text than Mantine's default so secondary text keeps AA contrast. */
/** Light-variant text (badges, alerts) darkened so yellow/orange/teal keep AA contrast too. */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(
      Object.entries(theme.colors).map(([name, shades]) => [
        `--mantine-color-${name}-light-color`,
        darken(shades[9], 0.35),
      ]),
    ),
  },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});

export const colorSchemeManager = localStorageColorSchemeManager({ key: 'arusha.color-scheme' });
