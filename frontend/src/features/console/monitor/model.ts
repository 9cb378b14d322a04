/** Pure helpers of the monitor pages: the unit tree's drill-down path, the exam's phase, the bands. */

export interface TreeUnit {
  id: number
  name: string
  parent_id: number | null
}

/** `unit` and its ancestors up to `root` (root first); just [root] when `unit` is not inside root's subtree. */
export function trailFrom<U extends TreeUnit>(units: readonly U[], root: number, unit: number): U[] {
  const byId = new Map(units.map((u) => [u.id, u]))
  const trail: U[] = []
  let at = byId.get(unit)
  while (at) {
    trail.unshift(at)
    if (at.id === root) return trail
    at = at.parent_id === null ? undefined : byId.get(at.parent_id)
  }
  const top = byId.get(root)
  return top ? [top] : []
}

export function isWithin(units: readonly TreeUnit[], unit: number, ancestor: number): boolean {
  return trailFrom(units, ancestor, unit).at(-1)?.id === unit
}

export function hasChildren(units: readonly TreeUnit[], unit: number): boolean {
  return units.some((u) => u.parent_id === unit)
}

export type ExamPhase = 'draft' | 'upcoming' | 'running' | 'ended' | 'closed'

export function examPhase(exam: { status?: string; opens_at: string; closes_at: string }, now: number): ExamPhase {
  if (exam.status === 'draft') return 'draft'
  if (exam.status === 'closed') return 'closed'
  if (now < Date.parse(exam.opens_at)) return 'upcoming'
  return now < Date.parse(exam.closes_at) ? 'running' : 'ended'
}

/** The histogram's ten bands of percentage: [0, 10), …, [90, 100]. */
export const BANDS: readonly (readonly [number, number])[] = Array.from({ length: 10 }, (_, i) => [i * 10, i * 10 + 10] as const)

/** A share as a percentage with one decimal ("33.3%"); a dash when there is no whole. */
export function share(part: number, whole: number): string {
  if (!whole) return '—'
  return `${(Math.round((part * 1000) / whole) / 10).toString()}%`
}
