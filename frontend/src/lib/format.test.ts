import { describe, expect, it } from 'vitest'
import { formatDate, formatPercent, formatScore } from './format'

describe('formatScore and formatPercent', () => {
  it('drops trailing zeros of decimal strings from the API', () => {
    expect(formatScore('87.50')).toBe('87.5')
    expect(formatScore('90.00')).toBe('90')
  })
  it('shows a dash, not 0 or NaN, when there is nothing to measure', () => {
    expect(formatScore(null)).toBe('—')
    expect(formatPercent(null)).toBe('—')
    expect(formatPercent(undefined)).toBe('—')
  })
  it('adds the percent sign only to a number', () => {
    expect(formatPercent('66.67')).toBe('66.67%')
    expect(formatPercent(0)).toBe('0%')
  })
})

describe('formatDate', () => {
  it('shows the API date as it is, whatever the device time zone', () => {
    expect(formatDate('2026-05-12')).toBe('2026/5/12')
    expect(formatDate('2026-05-12', 'en')).toBe('12 May 2026')
    expect(formatDate('2026-12-31')).toBe('2026/12/31')
  })
})
