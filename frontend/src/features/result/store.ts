import { defineStore } from 'pinia'
import { api, type Attempt } from '@/api'
import { isOverdue } from '@/lib/exams'

/** Finished attempts: their result, rank and (as the exam's review policy allows) the review. */
export const useResultStore = defineStore('result', {
  state: () => ({ attempts: {} as Record<number, Attempt> }),
  actions: {
    put(attempt: Attempt) {
      this.attempts[attempt.id] = attempt
    },
    async load(id: number, force = false): Promise<Attempt> {
      if (!force && this.attempts[id]?.result) return this.attempts[id]!
      let attempt = (await api.attempt(id)).data
      // GETs no longer finalise overdue attempts: submitting does (idempotent).
      if (isOverdue(attempt, Date.parse(attempt.server_now))) attempt = (await api.submit(id)).data
      this.put(attempt)
      return attempt
    },
  },
})
