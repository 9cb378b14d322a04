import { describe, expect, it } from 'vitest'
import { createServerClock, formatCountdown, marksCrossed } from './clock'

describe('server clock', () => {
  it('advances from the server sample on the monotonic clock, not the wall clock', () => {
    let mono = 1000
    const clock = createServerClock('2026-05-12T09:00:00.000+08:00', 900, 1100, () => mono)
    const start = Date.parse('2026-05-12T01:00:00Z')
    expect(clock.now()).toBe(start) // sampled at the midpoint of the round trip
    mono += 90_000
    expect(clock.now()).toBe(start + 90_000)
  })

  it('ignores a phone clock that is hours wrong', () => {
    const realDateNow = Date.now
    Date.now = () => 0 // 1970
    try {
      const clock = createServerClock('2026-05-12T09:00:00+08:00', 0, 0, () => 0)
      expect(clock.remainingMs('2026-05-12T09:30:00+08:00')).toBe(30 * 60_000)
    } finally {
      Date.now = realDateNow
    }
  })

  it('never reports negative time left', () => {
    const clock = createServerClock('2026-05-12T10:00:00+08:00', 0, 0, () => 0)
    expect(clock.remainingMs('2026-05-12T09:59:00+08:00')).toBe(0)
  })

  it('rejects an unreadable server time', () => {
    expect(() => createServerClock('soon', 0, 0)).toThrow()
  })
})

describe('warnings', () => {
  it('fires the 5- and 1-minute marks once, when crossed', () => {
    expect(marksCrossed(301_000, 300_000)).toEqual([300])
    expect(marksCrossed(300_000, 299_000)).toEqual([])
    expect(marksCrossed(61_000, 59_000)).toEqual([60])
    expect(marksCrossed(400_000, 30_000)).toEqual([300, 60])
  })

  it('does not announce a mark already passed when the page opened', () => {
    expect(marksCrossed(240_000, 239_000)).toEqual([])
  })
})

describe('formatCountdown', () => {
  it('rounds up and shows hours only when needed', () => {
    expect(formatCountdown(0)).toBe('00:00')
    expect(formatCountdown(1)).toBe('00:01')
    expect(formatCountdown(59_001)).toBe('01:00')
    expect(formatCountdown(3_600_000 + 61_000)).toBe('1:01:01')
  })
})
