import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import { ApiError } from '@/api/errors'
import { learnApi, type BookState, type Feedback, type PracticeRound, type RoundQuestion } from './api'
import { itemState, summariseRound, type ItemState } from './practice'
import { toggleChoice } from '@/lib/paper'
import { outcomeOf } from '@/lib/saveOutcome'
import { SaveQueue, type SaveStatus } from '@/lib/saveQueue'

/** What the server said about one answer. */
interface Checked {
  choices: string[]
  correct: boolean
  feedback: Feedback | null
  /** the question's place in the book after this answer (only known right after answering) */
  book?: BookState | null
}

/**
 * One practice round (practice, book or daily). An answer is final once given: it goes through the exam's
 * save queue (kept on the phone first, sent in order, retried until the network returns), and the server's
 * reply brings right or wrong with the key, explanation and legal basis.
 */
export const useRoundStore = defineStore('practiceRound', {
  state: () => ({
    round: null as PracticeRound | null,
    index: 0,
    /** choices being made, not yet submitted */
    draft: {} as Record<number, string[]>,
    /** answers the server has checked */
    checked: {} as Record<number, Checked>,
    /** submitted answers still in the queue */
    pending: {} as Record<number, string[]>,
    /** questions of an exam open to the person now */
    hidden: {} as Record<number, true>,
    /** answers the server refused, with the code */
    refused: {} as Record<number, string>,
    saveStatus: 'saved' as SaveStatus,
    queue: null as SaveQueue | null,
  }),
  getters: {
    stateOf:
      (s) =>
      (questionId: number): ItemState =>
        itemState({
          hidden: questionId in s.hidden,
          correct: s.checked[questionId]?.correct,
          pending: questionId in s.pending,
          offline: s.saveStatus === 'offline',
          rejected: questionId in s.refused,
        }),
    questions: (s): RoundQuestion[] => s.round?.questions ?? [],
    current(): RoundQuestion | undefined {
      return this.questions[this.index]
    },
    states(): ItemState[] {
      return this.questions.map((q) => this.stateOf(q.question_id))
    },
    summary(): ReturnType<typeof summariseRound> {
      return summariseRound(this.states)
    },
  },
  actions: {
    async load(id: number): Promise<PracticeRound> {
      if (this.round?.id === id && this.queue) return this.round
      return this.open(await learnApi.practiceRound(id))
    },

    /** Show a round just started or fetched, with what this phone has not sent yet. */
    open(round: PracticeRound): PracticeRound {
      this.close()
      this.round = round
      this.draft = {}
      this.checked = {}
      this.pending = {}
      this.refused = {}
      this.hidden = {}
      const server: Record<number, { choices: string[]; seq: number }> = {}
      for (const q of round.questions) {
        if (q.hidden) this.hidden[q.question_id] = true
        if (q.answered && q.correct !== null) {
          this.checked[q.question_id] = { choices: q.choices ?? [], correct: q.correct, feedback: q.feedback }
          // the server keeps the first answer: a change still on this phone is resent and answered with it
          server[q.question_id] = { choices: q.choices ?? [], seq: 0 }
        }
      }
      const queue = new SaveQueue({
        attemptId: round.id,
        storageKey: `xuefa.practice.${round.id}`,
        storage: window.localStorage,
        send: async (change) => {
          try {
            const r = await learnApi.practiceAnswer(round.id, change.questionId, change.choices)
            const { choices, correct, feedback, book } = r.data
            this.checked[change.questionId] = { choices, correct, feedback, book }
            delete this.refused[change.questionId]
            return { kind: 'saved', stored: { choices, seq: change.seq } }
          } catch (e) {
            if (e instanceof ApiError && e.code === 'question_in_open_exam') this.hidden[change.questionId] = true
            return outcomeOf(e)
          }
        },
        onChange: (q) => this.mirror(q),
        onStatus: (status) => {
          this.saveStatus = status
        },
        onRejected: (change, code) => {
          if (code !== 'question_in_open_exam') this.refused[change.questionId] = code
          this.mirror(queue)
        },
      })
      this.queue = markRaw(queue)
      queue.seed(server)
      this.mirror(queue)
      this.saveStatus = queue.status
      const first = this.states.findIndex((s) => s === 'open')
      this.index = first === -1 ? 0 : first
      window.addEventListener('online', this.onOnline)
      return round
    },

    onOnline() {
      useRoundStore().queue?.retryNow()
    },

    close() {
      this.queue?.stop()
      this.queue = null
      window.removeEventListener('online', this.onOnline)
    },

    mirror(queue: SaveQueue) {
      const pending: Record<number, string[]> = {}
      for (const change of queue.pendingChanges) pending[change.questionId] = change.choices
      this.pending = pending
    },

    choose(questionId: number, letter: string) {
      const q = this.questions.find((x) => x.question_id === questionId)
      const state = this.stateOf(questionId)
      if (!q || (state !== 'open' && state !== 'rejected')) return
      this.draft[questionId] = toggleChoice(q.kind, this.draft[questionId] ?? [], letter)
    },

    /** Give the answer: kept on the phone at once, sent (and checked) as soon as the network allows. */
    submit(questionId: number): boolean {
      const choices = this.draft[questionId] ?? []
      if (!choices.length || !this.queue) return false
      delete this.refused[questionId]
      this.queue.set(questionId, choices)
      return true
    },

    /** The choices to show for a question: the server's, the queued ones, or the draft. */
    choicesOf(questionId: number): string[] {
      return this.checked[questionId]?.choices ?? this.pending[questionId] ?? this.draft[questionId] ?? []
    },

    go(index: number) {
      this.index = Math.max(0, Math.min(this.questions.length - 1, index))
    },

    /** Forget the round's unsent answers once all are checked (nothing is left to send). */
    forgetIfDone() {
      if (this.queue && !this.queue.pendingChanges.length) this.queue.clear()
    },
  },
})
