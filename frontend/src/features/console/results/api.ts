import { client, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { components } from '@/api/schema'
import { messageOf } from '@/i18n'

type S = components['schemas']
export type Exam = S['Exam']
export type ResultRow = S['ResultRow']
export type UnitBoard = S['UnitLeaderboard']
export type Unit = S['Unit']

export interface ResultFilters {
  unit?: number
  passed?: boolean
  submitted_from?: string
  submitted_to?: string
}

/** The server's own message (already in the reader's language) for a refusal it explains; else the app's text. */
export function apiMessage(e: unknown): string {
  if (e instanceof ApiError && !e.isNetwork && e.status < 500 && e.message && e.message !== e.code) return e.message
  return messageOf(e)
}

/** The query string of an export with the page's filters (only those set). */
export function exportQuery(filters: ResultFilters & { year?: number }): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

export const resultsApi = {
  /** Exams with results (published or closed), newest first. */
  exams: async () => {
    const data = (await call(() => client.GET('/api/v1/exams/', { params: { query: { page_size: 200 } } }))).data
    return data.results.filter((e) => e.status !== 'draft')
  },
  units: async () => (await call(() => client.GET('/api/v1/units/'))).data,
  results: async (examId: number, query: ResultFilters & { page?: number; page_size?: number }) =>
    (await call(() => client.GET('/api/v1/exams/{exam_id}/results', { params: { path: { exam_id: examId }, query } }))).data,
  unitSummary: async (examId: number, parent?: number) =>
    (
      await call(() =>
        client.GET('/api/v1/exams/{exam_id}/leaderboard/units', { params: { path: { exam_id: examId }, query: { parent } } }),
      )
    ).data,
}

export const resultsXlsxUrl = (examId: number, f: ResultFilters) => `/api/v1/exams/${examId}/results.xlsx${exportQuery(f)}`
export const resultsCsvUrl = (examId: number, f: ResultFilters) => `/api/v1/exams/${examId}/results.csv${exportQuery(f)}`
export const learningRecordsUrl = (year: number, unit?: number) => `/api/v1/learning-records.xlsx${exportQuery({ year, unit })}`
