import { describe, expect, it } from 'vitest'
import { formatPercent, formatScore } from './format'

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
