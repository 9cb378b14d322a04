import { call, client } from '@/api/client'
import type { components } from '@/api/schema'

type S = components['schemas']
export type ConsoleExam = S['ConsoleExam']
export type ExamState = S['StateEnum']
export type ExamDetail = S['ExamDetail']
export type ExamInput = S['ExamInputRequest']
export type DrawRuleInput = S['DrawRuleInputRequest']
export type DrawAvailability = S['DrawAvailability']
export type SamplePaper = S['SamplePaper']
export type Unit = S['Unit']
export type Bank = S['QuestionBank']
export type Question = S['Question']
export type QuestionKind = S['QuestionKindEnum']

export async function listExams(query: { state?: ExamState; search?: string; page?: number; page_size?: number }) {
  return (await call(() => client.GET('/api/v1/exams/managed', { params: { query } }))).data
}

export async function getExam(id: number) {
  return (await call(() => client.GET('/api/v1/exams/{exam_id}/', { params: { path: { exam_id: id } } }))).data
}

export async function createExam(body: ExamInput) {
  return (await call(() => client.POST('/api/v1/exams/', { body }))).data
}

export async function updateExam(id: number, body: Partial<ExamInput>) {
  const { unit_id: _ignored, ...rest } = body
  return (await call(() => client.PATCH('/api/v1/exams/{exam_id}/', { params: { path: { exam_id: id } }, body: rest })))
    .data
}

export async function publishExam(id: number) {
  return (await call(() => client.POST('/api/v1/exams/{exam_id}/publish', { params: { path: { exam_id: id } } }))).data
}

export async function closeExam(id: number) {
  return (await call(() => client.POST('/api/v1/exams/{exam_id}/close', { params: { path: { exam_id: id } } }))).data
}

export async function regrade(id: number, questionId: number, reason: string) {
  return (
    await call(() =>
      client.POST('/api/v1/exams/{exam_id}/regrade', {
        params: { path: { exam_id: id } },
        body: { question_id: questionId, reason },
      }),
    )
  ).data
}

export async function drawAvailability(rules: DrawRuleInput[]) {
  return (await call(() => client.POST('/api/v1/exams/draw-availability', { body: { draw_rules: rules } }))).data
}

export async function samplePaper(id: number) {
  return (await call(() => client.GET('/api/v1/exams/{exam_id}/sample-paper', { params: { path: { exam_id: id } } })))
    .data
}

export async function listUnits() {
  return (await call(() => client.GET('/api/v1/units/'))).data
}

export async function listBanks() {
  return (await call(() => client.GET('/api/v1/banks/', { params: { query: { page_size: 500 } } }))).data
}

export async function listQuestions(
  bankId: number,
  query: { kind?: string; search?: string; tag?: string; page?: number; page_size?: number },
) {
  return (
    await call(() =>
      client.GET('/api/v1/banks/{bank_id}/questions/', {
        params: { path: { bank_id: bankId }, query: { ...query, is_active: true } },
      }),
    )
  ).data
}

export const qrUrl = (id: number) => `/api/v1/exams/${id}/qr.png`

// --- exam-day operations: overrides, make-ups, page leaves ------------------------------------------
export type ExamOverride = S['ExamOverride']
export type OverrideInput = S['ExamOverrideInputRequest']
export type MakeupInput = S['MakeupInputRequest']
export type PageLeaveRow = S['PageLeaveRow']
export type PersonHit = S['Person']

export async function listOverrides(id: number, query: { page?: number; page_size?: number }) {
  return (await call(() => client.GET('/api/v1/exams/{exam_id}/overrides', { params: { path: { exam_id: id }, query } })))
    .data
}

export async function grantOverride(id: number, body: OverrideInput) {
  return (await call(() => client.POST('/api/v1/exams/{exam_id}/overrides', { params: { path: { exam_id: id } }, body })))
    .data
}

export async function withdrawOverride(id: number, overrideId: number, reason: string) {
  await call(() =>
    client.DELETE('/api/v1/exams/{exam_id}/overrides/{override_id}', {
      params: { path: { exam_id: id, override_id: overrideId }, query: { reason } },
    }),
  )
}

export async function grantMakeups(id: number, body: MakeupInput) {
  return (await call(() => client.POST('/api/v1/exams/{exam_id}/makeups', { params: { path: { exam_id: id } }, body })))
    .data
}

export async function listPageLeaves(id: number, query: { page?: number; page_size?: number }) {
  return (
    await call(() => client.GET('/api/v1/exams/{exam_id}/page-leaves', { params: { path: { exam_id: id }, query } }))
  ).data
}

/** People of the organizer's scope by name, username or phone (the people area's search). */
export async function searchPeople(q: string) {
  return (await call(() => client.GET('/api/v1/users/', { params: { query: { q, page_size: 20 } } }))).data
}
