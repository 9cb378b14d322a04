import { describe, expect, it } from 'vitest'
import { dateInZone, itemState, monthGrid, nextOpen, percent, roundFinished, shiftMonth, summariseRound } from './practice'

const base = { hidden: false, correct: null, pending: false, offline: false, rejected: false }

describe('itemState', () => {
  it('follows the server first, then the queue', () => {
    expect(itemState(base)).toBe('open')
    expect(itemState({ ...base, pending: true })).toBe('sending')
    expect(itemState({ ...base, pending: true, offline: true })).toBe('offline')
    expect(itemState({ ...base, correct: true, pending: true, offline: true })).toBe('right')
    expect(itemState({ ...base, correct: false })).toBe('wrong')
    expect(itemState({ ...base, rejected: true })).toBe('rejected')
    expect(itemState({ ...base, hidden: true, correct: true })).toBe('hidden')
  })
})

describe('summariseRound', () => {
  it('counts right, wrong, open, hidden and pending', () => {
    const s = summariseRound(['right', 'wrong', 'right', 'open', 'hidden', 'offline', 'rejected'])
    expect(s).toEqual({ total: 7, right: 2, wrong: 1, open: 2, hidden: 1, pending: 1 })
    expect(roundFinished(s)).toBe(false)
  })
  it('is finished when nothing is open or waiting', () => {
    expect(roundFinished(summariseRound(['right', 'hidden', 'wrong']))).toBe(true)
    expect(roundFinished(summariseRound(['right', 'sending']))).toBe(false)
    expect(roundFinished(summariseRound([]))).toBe(false)
  })
})

describe('nextOpen', () => {
  it('finds the next question to answer, wrapping around', () => {
    expect(nextOpen(['right', 'open', 'open'], 2)).toBe(2)
    expect(nextOpen(['open', 'right', 'wrong'], 1)).toBe(0)
    expect(nextOpen(['right', 'rejected'], 0)).toBe(1)
    expect(nextOpen(['right', 'hidden', 'offline'], 0)).toBe(-1)
  })
})

describe('percent', () => {
  it('rounds and caps', () => {
    expect(percent(1, 3)).toBe(33)
    expect(percent(5, 4)).toBe(100)
    expect(percent(0, 0)).toBe(0)
  })
})

describe('shiftMonth', () => {
  it('crosses years', () => {
    expect(shiftMonth('2026-11', 1)).toBe('2026-12')
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
  })
})

describe('monthGrid', () => {
  it('lays a month out Monday first with the days done and today marked', () => {
    // November 2026 begins on a Sunday: six blanks, then 30 days, then blanks to a full week
    const weeks = monthGrid('2026-11', ['2026-11-02', '2026-11-30'], '2026-11-29')
    expect(weeks).toHaveLength(6)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(weeks[0]!.slice(0, 6).every((c) => c.date === null)).toBe(true)
    expect(weeks[0]![6]!.date).toBe('2026-11-01')
    expect(weeks[1]![0]).toMatchObject({ date: '2026-11-02', day: 2, done: true, today: false, future: false })
    const last = weeks[5]![0]!
    expect(last).toMatchObject({ date: '2026-11-30', done: true, future: true })
    expect(weeks[4]!.find((c) => c.today)?.date).toBe('2026-11-29')
  })
  it('handles February of a leap year', () => {
    const cells = monthGrid('2028-02', [], '2028-03-01').flat().filter((c) => c.date)
    expect(cells).toHaveLength(29)
    expect(cells.every((c) => !c.future)).toBe(true)
  })
})

describe('dateInZone', () => {
  it('is the date in Shanghai, not on the phone', () => {
    // 2026-11-29 17:30 UTC is already the 30th in Shanghai (UTC+8)
    expect(dateInZone(Date.UTC(2026, 10, 29, 17, 30))).toBe('2026-11-30')
    expect(dateInZone(Date.UTC(2026, 10, 29, 15, 59))).toBe('2026-11-29')
  })
})
