import { defineStore } from 'pinia'
import { api, type PersonRow, type UnitBoard, type UnitOrder } from '@/api'

export const useLeaderboardStore = defineStore('leaderboard', {
  state: () => ({
    examId: 0,
    people: [] as PersonRow[],
    /** rows the board lets this reader page through (a participant: the top rows) */
    peopleCount: 0,
    /** people ranked in the whole exam: the denominator of every rank */
    rankedCount: 0,
    me: null as PersonRow | null,
    page: 0,
    units: null as UnitBoard | null,
    unitOrder: 'participation_rate' as UnitOrder,
    unitParents: [] as number[],
    /** units that have sub-units (from the public unit tree): only those can be opened further */
    withChildren: null as Set<number> | null,
    loading: false,
  }),
  getters: {
    hasMore: (s) => s.people.length < s.peopleCount,
    /** a participant reads only the top rows: more people are ranked than this board will ever list */
    listsTopOnly: (s) => s.people.length >= s.peopleCount && s.rankedCount > s.people.length,
  },
  actions: {
    async open(examId: number) {
      if (this.examId !== examId) {
        this.$reset()
        this.examId = examId
      }
      await this.morePeople(true)
    },
    async morePeople(first = false) {
      this.loading = true
      try {
        const page = first ? 1 : this.page + 1
        const r = await api.leaderboardPeople(this.examId, page)
        this.people = first ? r.results : [...this.people, ...r.results]
        this.peopleCount = r.count
        this.rankedCount = r.ranked_count
        this.me = r.me ?? this.me
        this.page = page
      } finally {
        this.loading = false
      }
    },
    async loadUnits(order?: UnitOrder, parent?: number) {
      this.loading = true
      try {
        this.unitOrder = order ?? this.unitOrder
        if (!this.withChildren) {
          const tree = await api.units().catch(() => null)
          this.withChildren = new Set((tree?.data ?? []).map((u) => u.parent_id).filter((id): id is number => id !== null))
        }
        this.units = await api.leaderboardUnits(this.examId, this.unitOrder, parent)
      } finally {
        this.loading = false
      }
    },
    async drillDown(unitId: number) {
      this.unitParents.push(this.units?.parent_id ?? 0)
      await this.loadUnits(this.unitOrder, unitId)
    },
    async up() {
      const parent = this.unitParents.pop()
      await this.loadUnits(this.unitOrder, parent || undefined)
    },
  },
})
