import { describe, expect, it } from 'vitest'
import type { ManagedPracticeSet, ReachDay } from './api'
import { createBody, emptyForm, formOf, isoDay, lastDays, percentText, reachChartOption, unitTrail, updateBody } from './model'

const set: ManagedPracticeSet = {
  id: 3,
  title: '民法典学习',
  bank_id: 7,
  bank_name: '民法典题库',
  tags: ['总则编', '物权编'],
  daily_count: 5,
  unit_id: 1,
  unit_name: '清河市',
  audience_unit_ids: [4, 2],
  is_open: true,
  created_at: '2026-11-30T08:00:00Z',
}

describe('the practice-set form', () => {
  it('starts with the organizer’s own unit as the audience and five daily questions', () => {
    expect(emptyForm(9)).toEqual({ title: '', bank_id: null, tags: [], audience_unit_ids: [9], daily_count: 5 })
    expect(emptyForm(null).audience_unit_ids).toEqual([])
  })

  it('sends a new set with its title trimmed', () => {
    const form = { ...emptyForm(2), title: ' 宪法 ', bank_id: 7, tags: ['总纲'] }
    expect(createBody(form)).toEqual({ title: '宪法', bank_id: 7, tags: ['总纲'], audience_unit_ids: [2], daily_count: 5 })
  })

  it('sends only what an edit changed, whatever the order of the lists', () => {
    const form = formOf(set)
    expect(updateBody(form, set)).toEqual({})
    form.tags = ['物权编', '总则编']
    form.audience_unit_ids = [2, 4]
    expect(updateBody(form, set)).toEqual({})
    form.audience_unit_ids = [2]
    form.daily_count = 0
    form.tags = []
    expect(updateBody(form, set)).toEqual({ audience_unit_ids: [2], daily_count: 0, tags: [] })
  })
})

describe('the reach', () => {
  it('counts days in China’s time zone', () => {
    expect(isoDay(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01')
    expect(lastDays(30, new Date('2026-11-30T04:00:00Z'))).toEqual(['2026-11-01', '2026-11-30'])
  })

  it('writes accuracy to one decimal, and a dash without answers', () => {
    expect(percentText('66.67')).toBe('66.7%')
    expect(percentText(null)).toBe('—')
  })

  it('charts people and 人次 per day', () => {
    const days: ReachDay[] = [
      { date: '2026-11-29', people: 0, rounds: 0, answered: 0, correct: 0, accuracy: null },
      { date: '2026-11-30', people: 2, rounds: 3, answered: 20, correct: 15, accuracy: '75.00' },
    ]
    const option = reachChartOption(days, { people: '人数', rounds: '人次' }, { people: '#1', rounds: '#2', text: '#3', axis: '#4' })
    expect(option.xAxis.data).toEqual(['11-29', '11-30'])
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['人数', [0, 2]],
      ['人次', [0, 3]],
    ])
  })

  it('trails from the reader’s unit down to the unit shown', () => {
    const units = [
      { id: 1, path: '0001' },
      { id: 2, path: '00010001' },
      { id: 3, path: '000100010001' },
      { id: 4, path: '00010002' },
    ]
    expect(unitTrail(units, 3, '0001').map((u) => u.id)).toEqual([1, 2, 3])
    expect(unitTrail(units, 3, '00010001').map((u) => u.id)).toEqual([2, 3])
    expect(unitTrail(units, 99, '0001')).toEqual([])
  })
})
