import { describe, expect, it } from 'vitest'
import { searchUnits, signupChoices } from './units'

const tree = [
  { id: 1, name: '清河市', parent_id: null, depth: 0 },
  { id: 2, name: '南关镇', parent_id: 1, depth: 1 },
  { id: 3, name: '司法所', parent_id: 2, depth: 2 },
  { id: 4, name: '北岭镇', parent_id: 1, depth: 1 },
  { id: 5, name: '司法所', parent_id: 4, depth: 2 },
]

describe('the unit picker of sign-up', () => {
  it('offers every unit below the city, not the city itself', () => {
    expect(signupChoices(tree).map((u) => u.id)).toEqual([2, 3, 4, 5])
  })
  it('tells two units of one name apart by their trail, and finds them by it', () => {
    const choices = signupChoices(tree)
    expect(choices.find((u) => u.id === 5)?.trail).toBe('清河市 › 北岭镇')
    expect(searchUnits(choices, '北岭 司法').map((u) => u.id)).toEqual([5])
  })
})
