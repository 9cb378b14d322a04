import { describe, expect, it } from 'vitest'
import { buildUnitTree, subtreeOf } from './unitTree'

const units = [
  { id: 1, name: '清河市', parent_id: null, path: '0001' },
  { id: 2, name: '南关镇', parent_id: 1, path: '00010001' },
  { id: 3, name: '南关镇司法所', parent_id: 2, path: '000100010001' },
  { id: 4, name: '北岭镇', parent_id: 1, path: '00010002' },
]

describe('buildUnitTree', () => {
  it('nests units under their parents in the given order', () => {
    const [city] = buildUnitTree(units)
    expect(city!.children.map((c) => c.name)).toEqual(['南关镇', '北岭镇'])
    expect(city!.children[0]!.children.map((c) => c.name)).toEqual(['南关镇司法所'])
  })

  it('makes a unit whose parent is not listed a root (an organizer sees their own subtree)', () => {
    const roots = buildUnitTree(subtreeOf(units, '00010001'))
    expect(roots.map((r) => r.name)).toEqual(['南关镇'])
    expect(roots[0]!.children.map((c) => c.id)).toEqual([3])
  })
})
