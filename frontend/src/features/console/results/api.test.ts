import { describe, expect, it } from 'vitest'
import { exportQuery, resultsXlsxUrl, learningRecordsUrl } from './api'

describe('export URLs carry exactly the filters that are set', () => {
  it('leaves out what is not set', () => {
    expect(exportQuery({})).toBe('')
    expect(resultsXlsxUrl(7, { unit: 3 })).toBe('/api/v1/exams/7/results.xlsx?unit=3')
  })

  it('keeps false (failed only) and dates', () => {
    expect(exportQuery({ passed: false, submitted_from: '2026-11-01', submitted_to: '2026-11-30' })).toBe(
      '?passed=false&submitted_from=2026-11-01&submitted_to=2026-11-30',
    )
    expect(learningRecordsUrl(2026)).toBe('/api/v1/learning-records.xlsx?year=2026')
  })
})
