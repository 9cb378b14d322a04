/** The unit tree as the API sends it (flat, in tree order), searched by name for the unit picker. */

interface UnitNode {
  id: number
  name: string
  parent_id: number | null
  depth: number
}

export interface UnitChoice extends UnitNode {
  /** ancestors' names, e.g. "清河市 › 南关镇", so that two 司法所 can be told apart */
  trail: string
}

function withTrails(units: readonly UnitNode[]): UnitChoice[] {
  const byId = new Map(units.map((u) => [u.id, u]))
  return units.map((u) => {
    const names: string[] = []
    let parent = u.parent_id === null ? undefined : byId.get(u.parent_id)
    while (parent) {
      names.unshift(parent.name)
      parent = parent.parent_id === null ? undefined : byId.get(parent.parent_id)
    }
    return { ...u, trail: names.join(' › ') }
  })
}

/** Units whose name (or an ancestor's) contains every word typed; all of them when nothing is typed. */
export function searchUnits(units: readonly UnitChoice[], query: string, limit = 200): UnitChoice[] {
  const words = query.trim().split(/\s+/).filter(Boolean)
  const hits = words.length ? units.filter((u) => words.every((w) => u.name.includes(w) || u.trail.includes(w))) : units
  return hits.slice(0, limit)
}

/** Units a person may sign up in: below the root (the server refuses the whole city, whose figures it would skew). */
export function signupChoices(units: readonly UnitNode[]): UnitChoice[] {
  return withTrails(units).filter((u) => u.parent_id !== null)
}
