import { call, client } from '@/api/client'
import type { components } from '@/api/schema'

type S = components['schemas']
export type ManagedPracticeSet = S['ManagedPracticeSet']
export type PracticeSetInput = S['PracticeSetInputRequest']
export type PracticeSetUpdate = S['PatchedPracticeSetUpdateRequest']
export type Reach = S['Reach']
export type ReachCounts = S['ReachCounts']
export type ReachDay = S['ReachDay']
export type ReachUnit = S['ReachUnit']
export type BankTag = S['BankTag']
export type Bank = S['QuestionBank']
export type Unit = S['Unit']

export interface ReachQuery {
  unit?: number
  date_from?: string
  date_to?: string
}

export const learningApi = {
  /** The practice sets of the organizer's subtree (at most 500: a town opens a handful a year). */
  sets: async () =>
    (await call(() => client.GET('/api/v1/practice-sets/managed', { params: { query: { page_size: 500 } } }))).data,
  create: async (body: PracticeSetInput) =>
    (await call(() => client.POST('/api/v1/practice-sets/managed', { body }))).data,
  update: async (id: number, body: PracticeSetUpdate) =>
    (
      await call(() =>
        client.PATCH('/api/v1/practice-sets/managed/{practice_set_id}', { params: { path: { practice_set_id: id } }, body }),
      )
    ).data,
  banks: async () => (await call(() => client.GET('/api/v1/banks/', { params: { query: { page_size: 500 } } }))).data,
  bankTags: async (bankId: number) =>
    (await call(() => client.GET('/api/v1/banks/{bank_id}/tags/', { params: { path: { bank_id: bankId } } }))).data,
  units: async () => (await call(() => client.GET('/api/v1/units/'))).data,
  reach: async (query: ReachQuery) => (await call(() => client.GET('/api/v1/learning/reach', { params: { query } }))).data,
}
