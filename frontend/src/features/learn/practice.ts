/** Rules of the practice pages that do not depend on Vue: a question's state, a round's summary, the calendar. */

/** Where one question of a round stands, as the page shows it. */
export type ItemState =
  /** not answered yet (the person may still be choosing) */
  | 'open'
  /** submitted and waiting in the save queue: being sent */
  | 'sending'
  /** submitted while offline: kept on the phone, sent when the network returns */
  | 'offline'
  /** the server refused it (not for the person, invalid): shown with the reason */
  | 'rejected'
  | 'right'
  | 'wrong'
  /** in an exam open to the person now: neither answerable nor shown with its key */
  | 'hidden'

export function itemState(input: {
  hidden: boolean
  correct: boolean | null | undefined
  pending: boolean
  offline: boolean
  rejected: boolean
}): ItemState {
  if (input.hidden) return 'hidden'
  if (input.correct === true) return 'right'
  if (input.correct === false) return 'wrong'
  if (input.pending) return input.offline ? 'offline' : 'sending'
  if (input.rejected) return 'rejected'
  return 'open'
}

export interface RoundSummary {
  total: number
  right: number
  wrong: number
  /** neither answered nor hidden (nor waiting to be sent) */
  open: number
  hidden: number
  /** submitted, not yet acknowledged by the server */
  pending: number
}

export function summariseRound(states: readonly ItemState[]): RoundSummary {
  const s: RoundSummary = { total: states.length, right: 0, wrong: 0, open: 0, hidden: 0, pending: 0 }
  for (const state of states) {
    if (state === 'right') s.right += 1
    else if (state === 'wrong') s.wrong += 1
    else if (state === 'hidden') s.hidden += 1
    else if (state === 'sending' || state === 'offline') s.pending += 1
    else s.open += 1
  }
  return s
}

/** A round is finished when every question is answered (or hidden) and the server has acknowledged each. */
export function roundFinished(s: RoundSummary): boolean {
  return s.total > 0 && s.open === 0 && s.pending === 0
}

/** The first question still to answer at or after `from` (wrapping around), or -1. */
export function nextOpen(states: readonly ItemState[], from: number): number {
  for (let k = 0; k < states.length; k++) {
    const i = (from + k) % states.length
    if (states[i] === 'open' || states[i] === 'rejected') return i
  }
  return -1
}

/** Share of a chapter practised, 0–100, whole numbers. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return 0
  return Math.min(100, Math.round((part / whole) * 100))
}

export interface CalendarCell {
  /** YYYY-MM-DD, null for the blanks before the first and after the last day */
  date: string | null
  day: number
  done: boolean
  today: boolean
  future: boolean
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** "2026-11" moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const index = y * 12 + (m - 1) + delta
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`
}

/**
 * The month as weeks of seven cells, Monday first (as Chinese calendars are), with the days done marked.
 * `today` is the server's date (YYYY-MM-DD); days after it are `future`.
 */
export function monthGrid(month: string, doneDates: Iterable<string>, today: string): CalendarCell[][] {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const done = new Set(doneDates)
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate()
  const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7 // Monday = 0
  const cells: CalendarCell[] = []
  for (let i = 0; i < lead; i++) cells.push({ date: null, day: 0, done: false, today: false, future: false })
  for (let d = 1; d <= daysInMonth; d++) {
    const date = `${month}-${pad(d)}`
    cells.push({ date, day: d, done: done.has(date), today: date === today, future: date > today })
  }
  while (cells.length % 7) cells.push({ date: null, day: 0, done: false, today: false, future: false })
  const weeks: CalendarCell[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** The date (YYYY-MM-DD) at `ms` in the exams' time zone (Asia/Shanghai), whatever the phone is set to. */
export function dateInZone(ms: number, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms))
}
