import { call, client } from '@/api/client'
import type { components } from '@/api/schema'

type S = components['schemas']

export type Bank = S['QuestionBank']
export type BankTag = S['BankTag']
export type ImportBatch = S['ImportBatch']
export type ImportItem = S['ImportItem']
export type Issue = S['Issue']
/** A bank question as the organizer sees it (options and answer are lists; the schema leaves them open). */
export interface Question extends Omit<S['Question'], 'options' | 'answer'> {
  options: string[]
  answer: string[]
}
export type QuestionInput = S['QuestionInputRequest']

export interface QuestionQuery {
  kind?: string
  difficulty?: number
  tag?: string
  search?: string
  is_active?: boolean
  page?: number
  page_size?: number
}

export const banksApi = {
  async list(page = 1, pageSize = 50) {
    const { data } = await call(() => client.GET('/api/v1/banks/', { params: { query: { page, page_size: pageSize } } }))
    return data
  },
  async get(id: number): Promise<Bank> {
    return (await call(() => client.GET('/api/v1/banks/{id}/', { params: { path: { id } } }))).data
  },
  async create(name: string, description: string): Promise<Bank> {
    return (await call(() => client.POST('/api/v1/banks/', { body: { name, description } }))).data
  },
  async update(id: number, body: { name?: string; description?: string }): Promise<Bank> {
    return (await call(() => client.PATCH('/api/v1/banks/{id}/', { params: { path: { id } }, body }))).data
  },
  async tags(bankId: number): Promise<BankTag[]> {
    return (await call(() => client.GET('/api/v1/banks/{bank_id}/tags/', { params: { path: { bank_id: bankId } } })))
      .data
  },
  async questions(bankId: number, query: QuestionQuery) {
    const { data } = await call(() =>
      client.GET('/api/v1/banks/{bank_id}/questions/', { params: { path: { bank_id: bankId }, query } }),
    )
    return { count: data.count, results: data.results as unknown as Question[] }
  },
  async question(bankId: number, questionId: number): Promise<Question> {
    const { data } = await call(() =>
      client.GET('/api/v1/banks/{bank_id}/questions/{question_id}/', {
        params: { path: { bank_id: bankId, question_id: questionId } },
      }),
    )
    return data as unknown as Question
  },
  async createQuestion(bankId: number, body: QuestionInput): Promise<Question> {
    const { data } = await call(() =>
      client.POST('/api/v1/banks/{bank_id}/questions/', { params: { path: { bank_id: bankId } }, body }),
    )
    return data as unknown as Question
  },
  async updateQuestion(bankId: number, questionId: number, body: QuestionInput): Promise<Question> {
    const { data } = await call(() =>
      client.PUT('/api/v1/banks/{bank_id}/questions/{question_id}/', {
        params: { path: { bank_id: bankId, question_id: questionId } },
        body,
      }),
    )
    return data as unknown as Question
  },
  /** Upload a question file (or pasted text as a .txt file) and get its preview; nothing is imported yet. */
  async preview(bankId: number, file: File): Promise<ImportBatch> {
    const form = new FormData()
    form.append('file', file)
    const { data } = await call(() =>
      client.POST('/api/v1/banks/{bank_id}/imports', {
        params: { path: { bank_id: bankId } },
        body: { file: '' },
        bodySerializer: () => form,
      }),
    )
    return data
  },
  async commit(bankId: number, batchId: number): Promise<number> {
    const { data } = await call(() =>
      client.POST('/api/v1/banks/{bank_id}/imports/{batch_id}/commit', {
        params: { path: { bank_id: bankId, batch_id: batchId } },
      }),
    )
    return data.created
  },
  templateUrl: '/api/v1/banks/import-template.xlsx',
  exportUrl: (bankId: number) => `/api/v1/banks/${bankId}/export.xlsx`,
}
