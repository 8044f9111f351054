/**
 * Accessibility attributes for Taro components: `aria-*` and `role` reach the DOM on H5 and the
 * mini-program's accessibility layer (base library ≥ 2.7.1). Taro's prop types do not list them all,
 * hence one place that spreads them.
 */
export function a11y(attrs: { role?: string; label?: string; hidden?: boolean }): Record<string, string> {
  const out: Record<string, string> = {};
  if (attrs.role) {
    out.role = attrs.role;
    // The mini-program's name for it; on H5 it would be an invalid aria-role attribute.
    if (process.env.TARO_ENV !== 'h5') out.ariaRole = attrs.role;
    // Something to tap is reached by keyboard (and a switch-access device) too.
    else if (attrs.role === 'link' || attrs.role === 'button') out.tabIndex = '0';
  }
  if (attrs.label) {
    out['aria-label'] = attrs.label;
    out.ariaLabel = attrs.label;
  }
  if (attrs.hidden) out['aria-hidden'] = 'true';
  return out;
}
