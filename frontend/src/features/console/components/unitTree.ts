/** A flat unit list in tree order (the API's `path` order) as nested nodes, for ElTree and ElTreeSelect. */
export interface FlatUnit {
  id: number
  name: string
  parent_id: number | null
  path: string
}

export type UnitNode<U extends FlatUnit> = U & { children: UnitNode<U>[] }

/** Nest `units`; a unit whose parent is not in the list (the reader's own unit) becomes a root. */
export function buildUnitTree<U extends FlatUnit>(units: readonly U[]): UnitNode<U>[] {
  const byId = new Map<number, UnitNode<U>>()
  for (const u of units) byId.set(u.id, { ...u, children: [] })
  const roots: UnitNode<U>[] = []
  for (const u of units) {
    const node = byId.get(u.id)!
    const parent = u.parent_id === null ? undefined : byId.get(u.parent_id)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** The units of `root`'s subtree (`root` included), by the materialised path. */
export function subtreeOf<U extends FlatUnit>(units: readonly U[], rootPath: string): U[] {
  return units.filter((u) => u.path.startsWith(rootPath))
}
