/**
 * Accessibility attributes for Taro components: `aria-*` and `role` reach the DOM on H5 and the
 * mini-program's accessibility layer (base library ≥ 2.7.1). Taro's prop types do not list them all,
 * hence one place that spreads them.
 */
export function a11y(attrs: { role?: string; label?: string; hidden?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  if (attrs.role) {
    out.role = attrs.role;
    out.ariaRole = attrs.role;
  }
  if (attrs.label) {
    out['aria-label'] = attrs.label;
    out.ariaLabel = attrs.label;
  }
  if (attrs.hidden) out['aria-hidden'] = 'true';
  return out;
}
