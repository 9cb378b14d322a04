/**
 * The learning area's pure rules: the practice-set form's body (a new set's, or only what an edit changed),
 * the reach page's date range, figures and daily chart. No Vue, no requests: tested in model.test.ts.
 */
import type { ManagedPracticeSet, PracticeSetInput, PracticeSetUpdate, ReachDay } from './api'

export interface PracticeSetForm {
  title: string
  bank_id: number | null
  tags: string[]
  audience_unit_ids: number[]
  daily_count: number
}

export function emptyForm(ownUnitId: number | null): PracticeSetForm {
  return { title: '', bank_id: null, tags: [], audience_unit_ids: ownUnitId === null ? [] : [ownUnitId], daily_count: 5 }
}

export function formOf(set: ManagedPracticeSet): PracticeSetForm {
  return {
    title: set.title,
    bank_id: set.bank_id,
    tags: [...set.tags],
    audience_unit_ids: [...set.audience_unit_ids],
    daily_count: set.daily_count ?? 5,
  }
}

/** A new set's body; the server names what is missing (a bank, an audience) at its field. */
export function createBody(form: PracticeSetForm): PracticeSetInput {
  return {
    title: form.title.trim(),
    bank_id: form.bank_id ?? 0,
    tags: form.tags,
    audience_unit_ids: form.audience_unit_ids,
    daily_count: form.daily_count,
  }
}

const sameSet = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join()

/** An edit's body: only the fields that changed (the bank of a set never changes), so the audit log records
 * what the organizer did. */
export function updateBody(form: PracticeSetForm, set: ManagedPracticeSet): PracticeSetUpdate {
  const body: PracticeSetUpdate = {}
  if (form.title.trim() !== set.title) body.title = form.title.trim()
  if (!sameSet(form.tags, set.tags)) body.tags = form.tags
  if (!sameSet(form.audience_unit_ids, set.audience_unit_ids)) body.audience_unit_ids = form.audience_unit_ids
  if (form.daily_count !== set.daily_count) body.daily_count = form.daily_count
  return body
}

/** A date as the API writes it (YYYY-MM-DD), in China's time zone whatever the browser's. */
export function isoDay(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}

/** The reach's default range, as the API's: the last `days` days up to today. */
export function lastDays(days: number, now: Date = new Date()): [string, string] {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000)
  return [isoDay(from), isoDay(now)]
}

export function percentText(value: string | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Number(value).toFixed(1)}%`
}

/** The reach per day as a bar chart (people and 人次 side by side), with AA colours; labels in the reader's
 * language. Tooltips on the canvas (the strict CSP blocks the HTML tooltip's inline styles). */
export function reachChartOption(
  days: readonly ReachDay[],
  labels: { people: string; rounds: string },
  colors: { people: string; rounds: string; text: string; axis: string },
) {
  return {
    aria: { enabled: true },
    color: [colors.people, colors.rounds],
    legend: { top: 0, textStyle: { color: colors.text } },
    tooltip: { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' } },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.date.slice(5)),
      axisLabel: { color: colors.axis },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: colors.axis } },
    series: [
      { name: labels.people, type: 'bar', data: days.map((d) => d.people) },
      { name: labels.rounds, type: 'bar', data: days.map((d) => d.rounds) },
    ],
  }
}

/** The units from the reader's own unit down to `unitId`, for the breadcrumbs of the drill-down. */
export function unitTrail<U extends { id: number; path: string }>(units: readonly U[], unitId: number, topPath: string): U[] {
  const unit = units.find((u) => u.id === unitId)
  if (!unit) return []
  return units
    .filter((u) => unit.path.startsWith(u.path) && u.path.startsWith(topPath))
    .sort((a, b) => a.path.length - b.path.length)
}
