/**
 * The participant's API, typed from the generated schema. Features call these functions, never fetch:
 * when the API changes, this file and the generated types change, and the features do not.
 */
import type { components } from './schema'
import { call, client, type Timed } from './client'
import type { AttemptSummary } from '@/lib/exams'
import type { PaperOption, QuestionKind } from '@/lib/paper'

export { ApiError } from './errors'
export { allauth } from './allauth'
export { setApiLanguage } from './http'

type S = components['schemas']

export type Me = S['Me']
export type Unit = S['Unit']
export type Result = S['Result']

export interface Exam extends Omit<S['Exam'], 'my_attempts' | 'is_open'> {
  /** open quiz: any signed-in person may sit it */
  is_public: boolean
  my_attempts: AttemptSummary[]
  question_count?: number
  max_score?: string
}

export interface PaperQuestion {
  question_id: number
  position: number
  kind: QuestionKind
  stem: string
  points: string
  options: PaperOption[]
  saved: { choices: string[]; seq: number } | null
}

export interface ReviewQuestion extends Omit<PaperQuestion, 'saved'> {
  answer: string[]
  explanation: string
  legal_basis: string
  choices: string[]
  score: string
  correct: boolean
}

export interface Attempt {
  id: number
  exam_id: number
  exam_title: string
  number: number
  status: string
  started_at: string
  deadline: string
  grace_seconds: number
  server_now: string
  submitted_at: string | null
  max_score: string
  questions: PaperQuestion[]
  result: Result | null
  review: ReviewQuestion[] | null
}

export type PersonRow = S['PersonRow']
export interface UnitRow {
  rank: number
  unit_id: number
  unit_name: string
  headcount: number
  participants: number
  participation_rate: string
  mean_score: string
  pass_rate: string
}
export interface PeoplePage {
  count: number
  results: PersonRow[]
  me: PersonRow | null
}
export type UnitOrder = 'participation_rate' | 'mean_score' | 'pass_rate'
export interface UnitBoard {
  parent_id: number | null
  parent_name: string
  order: UnitOrder
  results: UnitRow[]
}

// --- adapters: the one place that knows the wire format ------------------------------------------

type WireOption = { letter?: string; key?: string; text: string }

function option(o: WireOption): PaperOption {
  return { letter: o.letter ?? o.key ?? '', text: o.text }
}

function exam(wire: S['Exam'] & { is_public?: boolean }): Exam {
  const { is_open, ...rest } = wire as S['Exam'] & { is_public?: boolean; is_open?: boolean }
  return {
    ...rest,
    is_public: Boolean(wire.is_public ?? is_open),
    my_attempts: wire.my_attempts as unknown as AttemptSummary[],
  } as Exam
}

function attempt(wire: S['Attempt']): Attempt {
  const questions = (wire.questions ?? []).map((q) => ({
    ...q,
    kind: q.kind as QuestionKind,
    options: (q.options as WireOption[]).map(option),
    saved: q.saved ? { choices: q.saved.choices, seq: q.saved.seq } : null,
  }))
  const review = wire.review
    ? wire.review.map((q) => ({ ...q, kind: q.kind as QuestionKind, options: (q.options as WireOption[]).map(option) }))
    : null
  return { ...wire, questions, review, result: wire.result ?? null }
}

function mapTimed<A, B>(t: Timed<A>, f: (a: A) => B): Timed<B> {
  return { ...t, data: f(t.data) }
}

// --- calls ------------------------------------------------------------------------------------------

export const api = {
  me: () => call(() => client.GET('/api/v1/me')),
  units: () => call(() => client.GET('/api/v1/units/')),
  siteSettings: () => call(() => client.GET('/api/v1/site-settings')),

  async exams(): Promise<Timed<Exam[]>> {
    const page = await call(() => client.GET('/api/v1/exams/', { params: { query: { page_size: 100 } as never } }))
    return mapTimed(page, (p) => p.results.map(exam))
  },
  async exam(id: number): Promise<Timed<Exam>> {
    return mapTimed(await call(() => client.GET('/api/v1/exams/{exam_id}/', { params: { path: { exam_id: id } } })), exam)
  },
  /** start an attempt, or resume the open one */
  async start(examId: number): Promise<Timed<Attempt>> {
    const t = await call(() => client.POST('/api/v1/exams/{exam_id}/attempts', { params: { path: { exam_id: examId } } }))
    return mapTimed(t, attempt)
  },
  async attempt(id: number): Promise<Timed<Attempt>> {
    const t = await call(() => client.GET('/api/v1/attempts/{attempt_id}', { params: { path: { attempt_id: id } } }))
    return mapTimed(t, attempt)
  },
  async submit(id: number): Promise<Timed<Attempt>> {
    const t = await call(() => client.POST('/api/v1/attempts/{attempt_id}/submit', { params: { path: { attempt_id: id } } }))
    return mapTimed(t, attempt)
  },
  saveAnswer: (attemptId: number, questionId: number, choices: string[], seq: number) =>
    call(() =>
      client.PUT('/api/v1/attempts/{attempt_id}/answers/{question_id}', {
        params: { path: { attempt_id: attemptId, question_id: questionId } },
        body: { choices, seq },
        signal: AbortSignal.timeout(15_000), // a hanging request on a weak signal counts as offline
      }),
    ),

  async leaderboardPeople(examId: number, page = 1, pageSize = 20): Promise<PeoplePage> {
    // Today one endpoint with ?by=person; "me" (the person's own row) comes with the split endpoint.
    const t = await call(() =>
      client.GET('/api/v1/exams/{exam_id}/leaderboard', {
        params: { path: { exam_id: examId }, query: { by: 'person', page, page_size: pageSize } as never },
      }),
    )
    const body = t.data as unknown as { count: number; results: PersonRow[]; me?: PersonRow | null }
    return { count: body.count, results: body.results, me: body.me ?? null }
  },
  async leaderboardUnits(examId: number, order: UnitOrder = 'participation_rate', parent?: number): Promise<UnitBoard> {
    const t = await call(() =>
      client.GET('/api/v1/exams/{exam_id}/leaderboard', {
        params: { path: { exam_id: examId }, query: { by: 'unit', order, page_size: 500, ...(parent ? { parent } : {}) } as never },
      }),
    )
    const body = t.data as unknown as { results: UnitRow[]; parent_id?: number; parent_name?: string }
    return { parent_id: body.parent_id ?? null, parent_name: body.parent_name ?? '', order, results: body.results }
  },
}
