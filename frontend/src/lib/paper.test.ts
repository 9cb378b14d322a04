import { describe, expect, it } from 'vitest'
import { ARTICLE_FOLD, articleIsLong, labelOptions, labelsOf, ranges, summarise, toggleChoice } from './paper'
import { attemptsLeft, countedAttempt, examPhase, isOverdue } from './exams'

const shuffled = [
  { letter: 'C', text: '三年' },
  { letter: 'A', text: '一年' },
  { letter: 'B', text: '两年' },
]

describe('paper', () => {
  it('relabels options in display order but keeps their own letters', () => {
    expect(labelOptions(shuffled).map((o) => `${o.label}=${o.letter}`)).toEqual(['A=C', 'B=A', 'C=B'])
    expect(labelsOf(shuffled, ['A', 'C'])).toEqual(['A', 'B'])
  })

  it('replaces a single choice and toggles multiple ones', () => {
    expect(toggleChoice('single', ['A'], 'C')).toEqual(['C'])
    expect(toggleChoice('judge', [], 'B')).toEqual(['B'])
    expect(toggleChoice('multiple', ['C'], 'A')).toEqual(['A', 'C'])
    expect(toggleChoice('multiple', ['A', 'C'], 'A')).toEqual(['C'])
  })

  it('summarises unanswered and marked positions', () => {
    const s = summarise([
      { position: 1, choices: ['A'], marked: false },
      { position: 2, choices: [], marked: false },
      { position: 3, choices: ['B'], marked: true },
      { position: 4, choices: [], marked: false },
    ])
    expect(s).toEqual({ answered: 2, unanswered: [2, 4], marked: [3] })
    expect(ranges([9, 1, 2, 3, 7, 10])).toBe('1–3、7、9–10')
  })
})

describe('exam phases', () => {
  const exam = {
    opens_at: '2026-05-10T08:00:00+08:00',
    closes_at: '2026-05-20T20:00:00+08:00',
    max_attempts: 2,
    my_attempts: [] as never[],
  }
  const at = (iso: string) => Date.parse(iso)

  it('files exams as upcoming, open or finished on the server time', () => {
    expect(examPhase(exam, at('2026-05-09T08:00:00+08:00'))).toBe('upcoming')
    expect(examPhase(exam, at('2026-05-12T08:00:00+08:00'))).toBe('open')
    expect(examPhase(exam, at('2026-05-21T08:00:00+08:00'))).toBe('finished')
  })

  it("follows the person's own window, and a make-up stays open after the exam is closed", () => {
    const makeup = { makeup: true, opens_at: '2026-06-01T08:00:00+08:00', closes_at: '2026-06-02T20:00:00+08:00' }
    const closed = { ...exam, status: 'closed', my_sitting: makeup }
    expect(examPhase(closed, at('2026-05-25T08:00:00+08:00'))).toBe('upcoming')
    expect(examPhase(closed, at('2026-06-01T09:00:00+08:00'))).toBe('open')
    expect(examPhase(closed, at('2026-06-03T09:00:00+08:00'))).toBe('finished')
    const extended = { ...exam, my_sitting: { ...makeup, makeup: false, opens_at: exam.opens_at } }
    expect(examPhase(extended, at('2026-05-25T08:00:00+08:00'))).toBe('open')
    expect(examPhase({ ...extended, status: 'closed' }, at('2026-05-25T08:00:00+08:00'))).toBe('finished')
  })

  it('counts attempts left (0 means unlimited) and finds the counted one', () => {
    const used = {
      ...exam,
      my_attempts: [
        { id: 1, number: 1, status: 'submitted', deadline: '', submitted_at: '', score: '80.00', is_counted: false },
        { id: 2, number: 2, status: 'submitted', deadline: '', submitted_at: '', score: '90.00', is_counted: true },
      ],
    }
    expect(attemptsLeft(used)).toBe(0)
    expect(examPhase(used, at('2026-05-12T08:00:00+08:00'))).toBe('finished')
    expect(attemptsLeft({ ...used, max_attempts: 0 })).toBe(Number.POSITIVE_INFINITY)
    expect(countedAttempt(used)?.id).toBe(2)
    // the server's own count wins when it sends one
    expect(attemptsLeft({ ...used, attempts_left: 1 })).toBe(1)
    expect(attemptsLeft({ ...used, attempts_left: null })).toBe(Number.POSITIVE_INFINITY)
  })

  it('treats an in-progress attempt past its deadline as overdue', () => {
    const a = { status: 'in_progress', deadline: '2026-05-12T09:30:00+08:00' }
    expect(isOverdue(a, at('2026-05-12T09:29:59+08:00'))).toBe(false)
    expect(isOverdue(a, at('2026-05-12T09:30:00+08:00'))).toBe(true)
  })
})

describe('articleIsLong', () => {
  it('folds an article longer than a few lines', () => {
    expect(articleIsLong('十八周岁以上的自然人为成年人。')).toBe(false)
    expect(articleIsLong('字'.repeat(ARTICLE_FOLD))).toBe(false)
    expect(articleIsLong('字'.repeat(ARTICLE_FOLD + 1))).toBe(true)
  })
})
