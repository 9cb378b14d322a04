import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import { api, ApiError, type Attempt, type Exam, type PaperQuestion } from '@/api'
import { createServerClock, type ServerClock } from '@/lib/clock'
import { SaveQueue, type SaveStatus } from '@/lib/saveQueue'
import { outcomeOf } from '@/lib/saveOutcome'
import { summarise, toggleChoice } from '@/lib/paper'
import { useResultStore } from '@/features/result/store'

/** Sampled once per page load: the server's clock does not jump when an answer is saved. */
let clock: ServerClock | null = null

const SAVE_TIMEOUT_MS = 15_000

export const useExamStore = defineStore('exam', {
  state: () => ({
    attempt: null as Attempt | null,
    /** the attempt's deadline as epoch milliseconds, parsed once when it is opened */
    deadlineMs: 0,
    queue: null as SaveQueue | null,
    /** mirrors of the queue for rendering */
    answers: {} as Record<number, string[]>,
    /** question ids marked for review */
    marked: {} as Record<number, true>,
    saveStatus: 'saved' as SaveStatus,
    index: 0,
    submitting: false,
    /** the session ended mid-exam: answers stay on the phone until the person signs in again */
    sessionLost: false,
  }),
  getters: {
    questions: (s): PaperQuestion[] => s.attempt?.questions ?? [],
    current(): PaperQuestion | undefined {
      return this.questions[this.index]
    },
    summary(): ReturnType<typeof summarise> {
      return summarise(
        this.questions.map((q) => ({
          position: q.position,
          choices: this.answers[q.question_id] ?? [],
          marked: q.question_id in this.marked,
        })),
      )
    },
  },
  actions: {
    /** The exam's rules, and the server's time from the response (not the phone's clock). */
    async loadExam(examId: number): Promise<{ exam: Exam; serverNow: number }> {
      const r = await api.exam(examId)
      return { exam: r.data, serverNow: r.serverDate ?? Date.now() }
    },

    /** Start the attempt, or resume the open one with the server's saved answers and this phone's unsent ones. */
    async open(examId: number): Promise<Attempt> {
      this.close()
      const r = await api.start(examId)
      clock ??= createServerClock(r.data.server_now, r.sentAt, r.receivedAt)
      const attempt = r.data
      this.attempt = attempt
      this.deadlineMs = Date.parse(attempt.deadline)
      this.index = 0
      const queue = new SaveQueue({
        attemptId: attempt.id,
        storage: window.localStorage,
        send: async (change) => {
          try {
            const saved = await api.saveAnswer(attempt.id, change.questionId, change.choices, change.seq)
            this.sessionLost = false
            return { kind: 'saved', stored: { choices: saved.data.choices, seq: saved.data.seq } }
          } catch (e) {
            if (e instanceof ApiError && e.isSignedOut) this.sessionLost = true
            return outcomeOf(e)
          }
        },
        onChange: (q, questionId) => (questionId === undefined ? this.mirror(q) : this.mirrorOne(q, questionId)),
        onStatus: (status) => {
          this.saveStatus = status
        },
      })
      this.queue = markRaw(queue)
      const saved = new Map<number, { choices: string[]; seq: number }>()
      for (const q of attempt.questions) if (q.saved) saved.set(q.question_id, q.saved)
      queue.seed(saved)
      this.mirror(queue)
      window.addEventListener('online', this.onOnline)
      return attempt
    },

    onOnline() {
      useExamStore().queue?.retryNow()
    },

    close() {
      this.queue?.stop()
      this.queue = null
      window.removeEventListener('online', this.onOnline)
    },

    /** Copy everything from the queue (on open, and when the server's answers are merged in). */
    mirror(queue: SaveQueue) {
      const answers: Record<number, string[]> = {}
      for (const q of this.questions) answers[q.question_id] = queue.choicesOf(q.question_id)
      this.answers = answers
      const marked: Record<number, true> = {}
      for (const id of queue.markedIds) marked[id] = true
      this.marked = marked
      this.saveStatus = queue.status
    },

    /** Copy one question's answer and mark: a tap touches nothing else. */
    mirrorOne(queue: SaveQueue, questionId: number) {
      const choices = queue.choicesOf(questionId)
      const shown = this.answers[questionId]
      if (!shown || shown.length !== choices.length || shown.some((c, i) => c !== choices[i])) this.answers[questionId] = choices
      const marked = queue.isMarked(questionId)
      if (marked !== questionId in this.marked) {
        if (marked) this.marked[questionId] = true
        else delete this.marked[questionId]
      }
    },

    choose(questionId: number, letter: string) {
      const q = this.questions.find((x) => x.question_id === questionId)
      if (!q || !this.queue || this.submitting) return
      this.queue.set(questionId, toggleChoice(q.kind, this.answers[questionId] ?? [], letter))
    },

    toggleMark(questionId: number) {
      this.queue?.toggleMark(questionId)
    },

    go(index: number) {
      this.index = Math.max(0, Math.min(this.questions.length - 1, index))
    },

    remainingMs(): number {
      if (!clock || !this.attempt) return 0
      return clock.remainingMs(this.deadlineMs)
    },

    /**
     * Send what is still waiting, then submit. Safe to call twice: a second call while the first runs
     * waits for it, and the API's submit is idempotent anyway.
     */
    async submit(): Promise<Attempt> {
      if (!this.attempt) throw new Error('no attempt')
      if (submitting) return submitting
      this.submitting = true
      const attempt = this.attempt
      submitting = (async () => {
        try {
          if (this.queue) await Promise.race([this.queue.whenIdle(), new Promise((r) => setTimeout(r, SAVE_TIMEOUT_MS))])
          const r = await api.submit(attempt.id)
          this.queue?.clear()
          useResultStore().put(r.data)
          return r.data
        } finally {
          this.submitting = false
          submitting = null
        }
      })()
      return submitting
    },
  },
})

let submitting: Promise<Attempt> | null = null
