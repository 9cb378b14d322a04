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

export interface Exam extends Omit<S['Exam'], 'my_attempts'> {
  /** open quiz: any signed-in person may sit it */
  is_public?: boolean
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

/** one article a legal basis cites, in the words of the law-text library (法条原文) */
export interface CitedArticle {
  law: string
  edition: string
  heading: string
  chapter: string
  text: string
}

export interface ReviewQuestion extends Omit<PaperQuestion, 'saved'> {
  answer: string[]
  explanation: string
  legal_basis: string
  choices: string[]
  score: string
  correct: boolean
  /** 法条原文: the cited articles' words, from the law-text library (none when the law is not in it) */
  articles?: CitedArticle[]
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
  /** started in the person's make-up (补考) window */
  is_makeup: boolean
  /** page leaves (切屏) recorded, the highest report number recorded, and the exam's limit (null: none) */
  leave_count: number
  leave_seq: number
  leave_limit: number | null
  questions: PaperQuestion[]
  result: Result | null
  review: ReviewQuestion[] | null
}

export type PersonRow = S['PersonRow']
export type UnitRow = S['UnitRow']
type PeoplePage = S['PersonLeaderboard']
export type UnitOrder = NonNullable<S['UnitLeaderboard']['order']>
export type UnitBoard = S['UnitLeaderboard']
export type CertificateVerification = S['CertificateVerification']

// --- adapters: the one place that knows the wire format ------------------------------------------

function option(o: S['Option']): PaperOption {
  return { letter: o.letter, text: o.text }
}

function exam(wire: S['Exam'] | S['ExamDetail']): Exam {
  const my_attempts: AttemptSummary[] = wire.my_attempts.map((a) => ({
    id: a.id,
    number: a.number ?? 1,
    status: a.status ?? 'in_progress',
    deadline: a.deadline,
    submitted_at: a.submitted_at ?? null,
    score: a.score ?? null,
    is_counted: Boolean(a.is_counted),
  }))
  return { ...wire, my_attempts }
}

function attempt(wire: S['Attempt']): Attempt {
  const questions = (wire.questions ?? []).map((q) => ({
    ...q,
    kind: q.kind as QuestionKind,
    options: q.options.map(option),
    saved: q.saved ? { choices: q.saved.choices, seq: q.saved.seq } : null,
  }))
  const review = wire.review
    ? wire.review.map((q) => ({ ...q, kind: q.kind as QuestionKind, options: q.options.map(option) }))
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
    const page = await call(() => client.GET('/api/v1/exams/', { params: { query: { page_size: 100 } } }))
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
  /** a page-leave report (切屏); `keepalive` lets a report sent as the page hides outlive it */
  pageLeave: (attemptId: number, kind: 'leave' | 'return', seq: number) =>
    call(() =>
      client.POST('/api/v1/attempts/{attempt_id}/page-leaves', {
        params: { path: { attempt_id: attemptId } },
        body: { kind, seq },
        keepalive: true,
      }),
    ),
  saveAnswer: (attemptId: number, questionId: number, choices: string[], seq: number) =>
    call(() =>
      client.PUT('/api/v1/attempts/{attempt_id}/answers/{question_id}', {
        params: { path: { attempt_id: attemptId, question_id: questionId } },
        body: { choices, seq },
        signal: AbortSignal.timeout(15_000), // a hanging request on a weak signal counts as offline
      }),
    ),

  async leaderboardPeople(examId: number, page = 1, pageSize = 20): Promise<PeoplePage> {
    const t = await call(() =>
      client.GET('/api/v1/exams/{exam_id}/leaderboard/people', {
        params: { path: { exam_id: examId }, query: { page, page_size: pageSize } },
      }),
    )
    return t.data
  },
  /** the person's own certificate (PDF) for an exam: 404 certificate_not_found unless they passed */
  async myCertificate(examId: number): Promise<Blob> {
    const t = await call(() =>
      client.GET('/api/v1/exams/{exam_id}/certificate.pdf', { params: { path: { exam_id: examId } }, parseAs: 'blob' }),
    )
    return t.data as Blob
  },
  /** public: whether a certificate code is genuine and still valid (no sign-in) */
  async verifyCertificate(code: string): Promise<CertificateVerification> {
    const t = await call(() => client.GET('/api/v1/certificates/{code}', { params: { path: { code } } }))
    return t.data
  },
  async leaderboardUnits(examId: number, order: UnitOrder = 'participation_rate', parent?: number): Promise<UnitBoard> {
    const t = await call(() =>
      client.GET('/api/v1/exams/{exam_id}/leaderboard/units', {
        params: { path: { exam_id: examId }, query: { order, ...(parent ? { parent } : {}) } },
      }),
    )
    return t.data
  },
}
