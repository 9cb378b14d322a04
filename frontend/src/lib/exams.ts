/** How the home page files an exam, decided on the server's time (from the response's Date header). */

export interface AttemptSummary {
  id: number
  number: number
  status: string
  deadline: string
  submitted_at: string | null
  score: string | null
  is_counted: boolean
}

/** The person's own window (an override or a make-up), when the server gives one. */
export interface MySitting {
  makeup: boolean
  opens_at: string
  closes_at: string
}

interface ExamWindow {
  opens_at: string
  closes_at: string
  my_sitting?: MySitting | null
  status?: string
  max_attempts?: number
  /** from the server when it says so: null is unlimited */
  attempts_left?: number | null
  my_attempts: AttemptSummary[]
}

export type ExamPhase = 'open' | 'upcoming' | 'finished'

export function attemptsLeft(exam: Pick<ExamWindow, 'max_attempts' | 'my_attempts' | 'attempts_left'>): number {
  if (exam.attempts_left === null) return Number.POSITIVE_INFINITY
  if (exam.attempts_left !== undefined) return exam.attempts_left
  const max = exam.max_attempts ?? 1
  if (max === 0) return Number.POSITIVE_INFINITY
  return Math.max(0, max - exam.my_attempts.length)
}

export function inProgressAttempt(exam: Pick<ExamWindow, 'my_attempts'>): AttemptSummary | undefined {
  return exam.my_attempts.find((a) => a.status === 'in_progress')
}

/** The window that applies to this person: their own (override or make-up) if they have one. */
export function windowOf(exam: Pick<ExamWindow, 'opens_at' | 'closes_at' | 'my_sitting'>): { opens_at: string; closes_at: string } {
  return exam.my_sitting ?? exam
}

export function examPhase(exam: ExamWindow, serverNow: number): ExamPhase {
  const w = windowOf(exam)
  // closing an exam stops its regular sittings; a make-up window stays open
  const closed = exam.status === 'closed' && !exam.my_sitting?.makeup
  if (closed || serverNow >= Date.parse(w.closes_at)) return 'finished'
  if (serverNow < Date.parse(w.opens_at)) return 'upcoming'
  if (inProgressAttempt(exam)) return 'open'
  return attemptsLeft(exam) > 0 ? 'open' : 'finished'
}

/** The attempt that counts (by the exam's policy, marked by the server), else the best finished one. */
export function countedAttempt(exam: Pick<ExamWindow, 'my_attempts'>): AttemptSummary | undefined {
  const finished = exam.my_attempts.filter((a) => a.status !== 'in_progress' && a.score !== null)
  return finished.find((a) => a.is_counted) ?? [...finished].sort((a, b) => Number(b.score) - Number(a.score))[0]
}

export function bestScore(exam: Pick<ExamWindow, 'my_attempts'>): string | undefined {
  const scores = exam.my_attempts.filter((a) => a.score !== null).map((a) => Number(a.score))
  return scores.length ? Math.max(...scores).toFixed(2).replace(/\.?0+$/, '') : undefined
}

/** An in-progress attempt whose deadline has passed is finalised by submitting it (the API is idempotent). */
export function isOverdue(attempt: Pick<AttemptSummary, 'status' | 'deadline'>, serverNow: number): boolean {
  return attempt.status === 'in_progress' && serverNow >= Date.parse(attempt.deadline)
}
