/**
 * The API of practice, the wrong-answer book and the daily questions (docs/api.md, "Learning between exams"),
 * typed from the generated schema. It lives with these pages, in their lazy chunks: the exam route loads none
 * of it.
 */
import { call, client } from '@/api/client'
import type { components } from '@/api/schema'
import type { PaperOption, QuestionKind } from '@/lib/paper'

type S = components['schemas']

export type PracticeSet = S['PracticeSet']
export type TagProgress = S['TagProgress']
export type Feedback = S['Feedback']
export type BookState = S['BookState']
export type BookCount = S['BookCount']
export type DailyCalendar = S['Calendar']
export type PracticeAnswer = S['PracticeAnswerOutput']
export type RoundKind = S['PracticeRoundKindEnum']
export type RoundSummary = S['RoundSummary']

export interface RoundQuestion extends Omit<S['RoundQuestion'], 'kind' | 'options'> {
  kind: QuestionKind
  options: PaperOption[]
}

export interface PracticeRound extends Omit<S['PracticeRound'], 'questions'> {
  questions: RoundQuestion[]
}

export interface BookEntry extends Omit<S['BookEntry'], 'kind' | 'options'> {
  kind: QuestionKind
  options: PaperOption[]
}

export interface BookPage {
  count: number
  next: string | null
  results: BookEntry[]
}

function option(o: S['Option']): PaperOption {
  return { letter: o.letter, text: o.text }
}

function practiceRound(wire: S['PracticeRound']): PracticeRound {
  return {
    ...wire,
    questions: wire.questions.map((q) => ({ ...q, kind: q.kind as QuestionKind, options: q.options.map(option) })),
  }
}

export const learnApi = {
  async practiceSets(): Promise<PracticeSet[]> {
    const t = await call(() => client.GET('/api/v1/practice-sets/', { params: { query: { page_size: 100 } } }))
    return t.data.results
  },
  async practiceProgress(setId: number): Promise<TagProgress[]> {
    const t = await call(() =>
      client.GET('/api/v1/practice-sets/{practice_set_id}/progress', { params: { path: { practice_set_id: setId } } }),
    )
    return t.data
  },
  /** a new round of `count` questions of one tag (chapter), or of the whole set without `tag` */
  async practiceRoundStart(setId: number, count: number, tag?: string): Promise<PracticeRound> {
    const t = await call(() =>
      client.POST('/api/v1/practice-sets/{practice_set_id}/rounds', {
        params: { path: { practice_set_id: setId } },
        body: tag ? { tag, count } : { count },
      }),
    )
    return practiceRound(t.data)
  },
  /** today's daily questions of a set (the same round when asked again) */
  async dailyRound(setId: number): Promise<PracticeRound> {
    const t = await call(() =>
      client.POST('/api/v1/practice-sets/{practice_set_id}/daily', { params: { path: { practice_set_id: setId } } }),
    )
    return practiceRound(t.data)
  },
  /** the requester's latest rounds, newest first, with how many questions are answered (to resume one) */
  async practiceRounds(pageSize = 20): Promise<RoundSummary[]> {
    const t = await call(() => client.GET('/api/v1/practice-rounds/', { params: { query: { page_size: pageSize } } }))
    return t.data.results
  },
  async practiceRound(id: number): Promise<PracticeRound> {
    const t = await call(() => client.GET('/api/v1/practice-rounds/{round_id}', { params: { path: { round_id: id } } }))
    return practiceRound(t.data)
  },
  /** answer one question of a round (once: answering again returns the first answer, `applied: false`) */
  practiceAnswer: (roundId: number, questionId: number, choices: string[]) =>
    call(() =>
      client.PUT('/api/v1/practice-rounds/{round_id}/answers/{question_id}', {
        params: { path: { round_id: roundId, question_id: questionId } },
        body: { choices },
        signal: AbortSignal.timeout(15_000), // as the exam's autosave: a hanging request counts as offline
      }),
    ),
  async book(retired: boolean, page = 1, pageSize = 20): Promise<BookPage> {
    const t = await call(() => client.GET('/api/v1/wrong-answers/', { params: { query: { retired, page, page_size: pageSize } } }))
    const results = t.data.results.map((e) => ({ ...e, kind: e.kind as QuestionKind, options: e.options.map(option) }))
    return { count: t.data.count, next: t.data.next, results }
  },
  async bookCount(): Promise<BookCount> {
    return (await call(() => client.GET('/api/v1/wrong-answers/count'))).data
  },
  async bookRoundStart(count: number): Promise<PracticeRound> {
    const t = await call(() => client.POST('/api/v1/wrong-answers/rounds', { body: { count } }))
    return practiceRound(t.data)
  },
  /** the daily streak and the days done of a month ("2026-11"; default this month) */
  async dailyCalendar(month?: string): Promise<DailyCalendar> {
    const t = await call(() => client.GET('/api/v1/daily/calendar', { params: { query: month ? { month } : {} } }))
    return t.data
  },
}
