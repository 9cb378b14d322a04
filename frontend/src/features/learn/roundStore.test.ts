// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { ApiError } from '@/api/errors'

const calls: string[] = []
let online = true
let refuse = ''

vi.mock('./api', async () => {
  const feedback = { answer: ['A'], explanation: 'why', legal_basis: 'art. 1', articles: [] }
  const timed = <T>(data: T) => ({ data, sentAt: 0, receivedAt: 0, serverDate: null })
  return {
    learnApi: {
      practiceAnswer: async (_round: number, q: number, choices: string[]) => {
        if (!online) throw new ApiError(0, 'network', 'network')
        if (refuse) throw new ApiError(409, refuse, refuse)
        calls.push(`answer ${q} ${choices.join('')}`)
        const correct = choices.join('') === 'A'
        return timed({ question_id: q, choices, correct, applied: true, feedback, book: correct ? null : { wrong_count: 1, right_streak: 0, retired: false } })
      },
    },
  }
})

const { useRoundStore } = await import('./roundStore')

const option = (letter: string) => ({ letter, text: letter.toLowerCase() })
function round() {
  const base = { kind: 'single' as const, options: [option('A'), option('B')], hidden: false }
  return {
    id: 5,
    kind: 'practice' as const,
    practice_set_id: 1,
    tag: '总则编',
    day: null,
    started_at: new Date().toISOString(),
    questions: [
      { ...base, question_id: 1, position: 1, stem: 'Q1', answered: true, choices: ['B'], correct: false, feedback: { answer: ['A'], explanation: '', legal_basis: '', articles: [] } },
      { ...base, question_id: 2, position: 2, stem: 'Q2', answered: false, choices: null, correct: null, feedback: null },
      { ...base, question_id: 3, position: 3, stem: 'Q3', answered: false, choices: null, correct: null, feedback: null, hidden: true },
    ],
  }
}
const settle = () => new Promise((r) => setTimeout(r, 0))

describe('the practice round store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    window.localStorage.clear()
    calls.length = 0
    online = true
    refuse = ''
  })

  it('opens at the first open question with what the server checked', () => {
    const store = useRoundStore()
    store.open(round())
    expect(store.index).toBe(1)
    expect(store.round?.tag).toBe('总则编') // a resumed chapter round keeps its chapter
    expect(store.states).toEqual(['wrong', 'open', 'hidden'])
    expect(store.choicesOf(1)).toEqual(['B'])
  })

  it('sends an answer through the save queue and shows the verdict with the key', async () => {
    const store = useRoundStore()
    store.open(round())
    store.choose(2, 'B')
    store.choose(2, 'A')
    expect(store.submit(2)).toBe(true)
    await settle()
    expect(calls).toEqual(['answer 2 A'])
    expect(store.stateOf(2)).toBe('right')
    expect(store.checked[2]?.feedback?.explanation).toBe('why')
    store.choose(2, 'B') // an answer counts once
    expect(store.choicesOf(2)).toEqual(['A'])
  })

  it('keeps an answer given offline on the phone and sends it when the network returns', async () => {
    const store = useRoundStore()
    store.open(round())
    online = false
    store.choose(2, 'B')
    store.submit(2)
    await settle()
    expect(store.stateOf(2)).toBe('offline')
    expect(JSON.parse(window.localStorage.getItem('xuefa.practice.5')!).pending).toHaveLength(1)

    // a reload while offline: the answer is still waiting on the phone
    setActivePinia(createPinia())
    const reopened = useRoundStore()
    online = true
    reopened.open(round())
    await settle()
    expect(calls).toEqual(['answer 2 B'])
    expect(reopened.stateOf(2)).toBe('wrong')
    expect(reopened.checked[2]?.book).toEqual({ wrong_count: 1, right_streak: 0, retired: false })
    reopened.close()
    store.close()
  })

  it('hides a question the server refuses as part of an open exam', async () => {
    const store = useRoundStore()
    store.open(round())
    refuse = 'question_in_open_exam'
    store.choose(2, 'A')
    store.submit(2)
    await settle()
    expect(store.stateOf(2)).toBe('hidden')
    expect(store.summary).toMatchObject({ total: 3, wrong: 1, hidden: 2, open: 0 })
  })

  it('nothing is submitted without a choice', () => {
    const store = useRoundStore()
    store.open(round())
    expect(store.submit(2)).toBe(false)
  })
})
