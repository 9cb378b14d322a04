import { call, client } from '@/api/client'
import type { components } from '@/api/schema'

type S = components['schemas']
export type LiveCounts = S['LiveCounts']
export type UnitBoard = S['UnitLeaderboard']
export type UnitRow = S['UnitRow']
export type AbsenteePage = S['AbsenteePage']
export type ExamStats = S['ExamStats']
export type ItemStats = S['ItemStats']
export type AttemptSet = 'first' | 'counted' | 'all'

/** The monitor pages' calls; each returns the API's data or throws an ApiError. */
export const monitorApi = {
  async exam(examId: number) {
    return (await call(() => client.GET('/api/v1/exams/{exam_id}/', { params: { path: { exam_id: examId } } }))).data
  },
  async units() {
    return (await call(() => client.GET('/api/v1/units/'))).data
  },
  async live(examId: number, signal?: AbortSignal) {
    return (await call(() => client.GET('/api/v1/exams/{exam_id}/live', { params: { path: { exam_id: examId } }, signal })))
      .data
  },
  async unitBoard(examId: number, parent: number | undefined, signal?: AbortSignal) {
    const query = parent ? { parent } : {}
    return (
      await call(() => client.GET('/api/v1/exams/{exam_id}/leaderboard/units', { params: { path: { exam_id: examId }, query }, signal }))
    ).data
  },
  async absentees(examId: number, page: number, pageSize: number, unit?: number) {
    const query = { page, page_size: pageSize, ...(unit ? { unit } : {}) }
    return (await call(() => client.GET('/api/v1/exams/{exam_id}/absentees', { params: { path: { exam_id: examId }, query } }))).data
  },
  async stats(examId: number, attempts: AttemptSet, signal?: AbortSignal) {
    return (
      await call(() => client.GET('/api/v1/exams/{exam_id}/stats', { params: { path: { exam_id: examId }, query: { attempts } }, signal }))
    ).data
  },
  async regrade(examId: number, questionId: number, reason: string) {
    return (
      await call(() =>
        client.POST('/api/v1/exams/{exam_id}/regrade', {
          params: { path: { exam_id: examId } },
          body: { question_id: questionId, reason },
        }),
      )
    ).data
  },
  absenteesXlsxUrl(examId: number, unit?: number): string {
    return `/api/v1/exams/${examId}/absentees.xlsx${unit ? `?unit=${unit}` : ''}`
  },
}
