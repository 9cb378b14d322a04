import type { OverlayProps } from 'vant'

/** Vant's overlay closes its popup on tap and is a button to screen readers: give it a name. */
export function namedOverlay(label: string): Partial<OverlayProps> {
  return { 'aria-label': label } as unknown as Partial<OverlayProps>
}
