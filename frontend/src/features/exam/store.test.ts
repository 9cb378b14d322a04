// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const calls: string[] = []
let online = true

vi.mock('@/api', async () => {
  const { ApiError } = await import('@/api/errors')
  const now = new Date().toISOString()
  const attempt = {
    id: 9,
    exam_id: 1,
    exam_title: 'T',
    number: 1,
    status: 'in_progress',
    started_at: now,
    deadline: new Date(Date.now() + 600_000).toISOString(),
    grace_seconds: 60,
    server_now: now,
    submitted_at: null,
    max_score: '20.00',
    result: null,
    review: null,
    questions: [
      { question_id: 1, position: 1, kind: 'single', stem: 'Q1', points: '10', options: [{ letter: 'A', text: 'a' }, { letter: 'B', text: 'b' }], saved: { choices: ['B'], seq: 4 } },
      { question_id: 2, position: 2, kind: 'multiple', stem: 'Q2', points: '10', options: [{ letter: 'A', text: 'a' }, { letter: 'B', text: 'b' }], saved: null },
    ],
  }
  const timed = <T>(data: T) => ({ data, sentAt: 0, receivedAt: 0, serverDate: null })
  return {
    ApiError,
    api: {
      start: async () => timed(structuredClone(attempt)),
      saveAnswer: async (_a: number, q: number, choices: string[], seq: number) => {
        if (!online) throw new ApiError(0, 'network', 'network')
        calls.push(`save ${q} ${choices.join('')} ${seq}`)
        return timed({ question_id: q, choices, seq, saved_at: now, applied: true })
      },
      submit: async () => {
        calls.push('submit')
        await new Promise((r) => setTimeout(r, 10))
        return timed({ ...attempt, status: 'submitted', result: { score: '10.00' } })
      },
    },
  }
})

const { useExamStore } = await import('./store')

describe('exam store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    calls.length = 0
    online = true
    localStorage.clear()
  })

  it('resumes the server’s answers and numbers new changes above its seq', async () => {
    const store = useExamStore()
    await store.open(1)
    expect(store.answers[1]).toEqual(['B'])
    store.choose(1, 'A')
    store.choose(2, 'B')
    store.choose(2, 'A')
    await store.queue!.whenIdle()
    // 'B' for question 2 was superseded before it left the phone: only the latest change is sent
    expect(calls).toEqual(['save 1 A 5', 'save 2 AB 7'])
    expect(store.summary.unanswered).toEqual([])
  })

  it('submits once when pressed twice, after sending pending saves', async () => {
    const store = useExamStore()
    await store.open(1)
    online = false
    store.choose(2, 'A')
    await new Promise((r) => setTimeout(r, 0))
    expect(store.saveStatus).toBe('offline')
    online = true
    const [a, b] = await Promise.all([store.submit(), store.submit()])
    expect(a).toBe(b)
    expect(calls).toEqual(['save 2 A 5', 'submit'])
    expect(localStorage.getItem('xuefa.attempt.9')).toBeNull()
  })
})
