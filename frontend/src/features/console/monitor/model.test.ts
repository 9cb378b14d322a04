import { describe, expect, it } from 'vitest'
import { examPhase, hasChildren, isWithin, share, trailFrom, BANDS } from './model'

const units = [
  { id: 1, name: '清河市', parent_id: null },
  { id: 2, name: '南关镇', parent_id: 1 },
  { id: 3, name: '南关镇司法所', parent_id: 2 },
  { id: 4, name: '北岭镇', parent_id: 1 },
]

describe('unit drill-down', () => {
  it('walks from the root down to the unit', () => {
    expect(trailFrom(units, 1, 3).map((u) => u.id)).toEqual([1, 2, 3])
    expect(trailFrom(units, 2, 3).map((u) => u.id)).toEqual([2, 3])
    expect(trailFrom(units, 2, 2).map((u) => u.id)).toEqual([2])
  })
  it('never leaves the root: a unit outside it falls back to the root', () => {
    expect(trailFrom(units, 2, 4).map((u) => u.id)).toEqual([2])
    expect(trailFrom(units, 99, 3)).toEqual([])
    expect(isWithin(units, 3, 2)).toBe(true)
    expect(isWithin(units, 4, 2)).toBe(false)
    expect(isWithin(units, 2, 2)).toBe(true)
  })
  it('knows leaves', () => {
    expect(hasChildren(units, 2)).toBe(true)
    expect(hasChildren(units, 3)).toBe(false)
  })
})

describe('examPhase', () => {
  const exam = { status: 'published', opens_at: '2026-05-10T08:00:00+08:00', closes_at: '2026-05-20T20:00:00+08:00' }
  it('follows the window, the status first', () => {
    expect(examPhase(exam, Date.parse('2026-05-10T07:59:59+08:00'))).toBe('upcoming')
    expect(examPhase(exam, Date.parse('2026-05-10T08:00:00+08:00'))).toBe('running')
    expect(examPhase(exam, Date.parse('2026-05-20T20:00:00+08:00'))).toBe('ended')
    expect(examPhase({ ...exam, status: 'closed' }, Date.parse('2026-05-12T08:00:00+08:00'))).toBe('closed')
    expect(examPhase({ ...exam, status: 'draft' }, Date.parse('2026-05-12T08:00:00+08:00'))).toBe('draft')
  })
})

describe('bands and shares', () => {
  it('has ten bands of ten points', () => {
    expect(BANDS).toHaveLength(10)
    expect(BANDS[9]).toEqual([90, 100])
  })
  it('rounds a share to one decimal and has a dash for nothing', () => {
    expect(share(1, 3)).toBe('33.3%')
    expect(share(2, 2)).toBe('100%')
    expect(share(0, 0)).toBe('—')
  })
})
