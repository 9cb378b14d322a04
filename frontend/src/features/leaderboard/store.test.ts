// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const row = (rank: number) => ({
  user_id: rank,
  rank,
  name: `张${rank}`,
  unit_name: '南关镇',
  score: '90.00',
  time_used_seconds: 600,
  submitted_at: '2026-05-10T09:00:00+08:00',
})
let page = { count: 0, ranked_count: 0, next: null, previous: null, results: [] as ReturnType<typeof row>[], me: null as ReturnType<typeof row> | null }

vi.mock('@/api', () => ({ api: { leaderboardPeople: async () => structuredClone(page) } }))

const { useLeaderboardStore } = await import('./store')

describe('the person leaderboard', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('ranks a participant off the top rows out of everyone ranked, not out of the rows listed', async () => {
    // a participant reads the top 20 rows of 38 ranked people, and their own row, 38th
    page = { count: 20, ranked_count: 38, next: null, previous: null, results: Array.from({ length: 20 }, (_, i) => row(i + 1)), me: row(38) }
    const board = useLeaderboardStore()
    await board.open(1)
    expect(board.me?.rank).toBe(38)
    expect(board.rankedCount).toBe(38) // "第 38 名 / 共 38 人", never "共 20 人"
    expect(board.hasMore).toBe(false) // nothing more to page through
    expect(board.listsTopOnly).toBe(true) // so the page says that only the top is listed
  })

  it('pages through a board that lists everyone, and says nothing of a top', async () => {
    page = { count: 3, ranked_count: 3, next: null, previous: null, results: [row(1), row(2)], me: row(2) }
    const board = useLeaderboardStore()
    await board.open(2)
    expect(board.hasMore).toBe(true)
    expect(board.listsTopOnly).toBe(false)
    page = { ...page, results: [row(3)] }
    await board.morePeople()
    expect(board.people.map((r) => r.rank)).toEqual([1, 2, 3])
    expect(board.hasMore).toBe(false)
    expect(board.listsTopOnly).toBe(false)
  })
})
