/**
 * Text colour for a background colour (`#rrggbb`): whichever of white and near-black has the
 * higher WCAG contrast ratio (#1a1b1e has relative luminance ≈ 0.011). Used on user-configurable
 * colours such as risk levels.
 */
export function textOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return (l + 0.05) / (0.011 + 0.05) > 1.05 / (l + 0.05) ? '#1a1b1e' : '#ffffff';
}
