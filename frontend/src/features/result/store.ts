import { defineStore } from 'pinia'
import { api, type Attempt, type Exam } from '@/api'
import { isOverdue } from '@/lib/exams'

/** Finished attempts: their result, rank and (as the exam's review policy allows) the review. */
export const useResultStore = defineStore('result', {
  state: () => ({ attempts: {} as Record<number, Attempt> }),
  actions: {
    put(attempt: Attempt) {
      this.attempts[attempt.id] = attempt
    },
    /** A stored attempt with its result (e.g. the answer of a submit), to show while it is refreshed. */
    cached(id: number): Attempt | undefined {
      return this.attempts[id]?.result ? this.attempts[id] : undefined
    },
    /** The attempt as the server holds it now (one GET); an overdue one is finalised by submitting it. */
    async load(id: number): Promise<Attempt> {
      let attempt = (await api.attempt(id)).data
      // GETs no longer finalise overdue attempts: submitting does (idempotent).
      if (isOverdue(attempt, Date.parse(attempt.server_now))) attempt = (await api.submit(id)).data
      this.put(attempt)
      return attempt
    },
    /** The exam's rules for the result page (review policy, closing time, attempts left). */
    async exam(examId: number): Promise<Exam> {
      return (await api.exam(examId)).data
    },
  },
})
