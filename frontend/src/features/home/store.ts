import { defineStore } from 'pinia'
import { api, type Exam } from '@/api'
import { examPhase, type ExamPhase } from '@/lib/exams'

export const useHomeStore = defineStore('home', {
  state: () => ({
    exams: [] as Exam[],
    /** server time of the last answer (Date header), to file exams without trusting the phone's clock */
    serverNow: 0,
    loading: false,
    error: null as unknown,
  }),
  getters: {
    byPhase(state): Record<ExamPhase, Exam[]> {
      const groups: Record<ExamPhase, Exam[]> = { open: [], upcoming: [], finished: [] }
      for (const exam of state.exams) groups[examPhase(exam, state.serverNow)].push(exam)
      groups.upcoming.sort((a, b) => Date.parse(a.opens_at) - Date.parse(b.opens_at))
      groups.finished.sort((a, b) => Date.parse(b.closes_at) - Date.parse(a.closes_at))
      return groups
    },
  },
  actions: {
    async load() {
      this.loading = true
      this.error = null
      try {
        const r = await api.exams()
        this.exams = r.data
        this.serverNow = r.serverDate ?? Date.now()
      } catch (e) {
        this.error = e
      } finally {
        this.loading = false
      }
    },
  },
})
