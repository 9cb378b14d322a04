import type { Me } from '@/api'

/** The console's areas; each area's routes.ts says which roles see it. */
export type ConsoleRole = 'organizer' | 'results'

/** Organizers (and the superuser) manage banks, exams and people; HR and organizers read results. */
export function consoleRoles(me: Me | null): Set<ConsoleRole> {
  const roles = new Set<ConsoleRole>()
  if (!me) return roles
  if (me.is_organizer) roles.add('organizer')
  if (me.is_results_reader) roles.add('results')
  return roles
}

/** Someone whose work is at a desk: they land in the console rather than the participant's exam list. */
export function isStaff(me: Me | null): boolean {
  return consoleRoles(me).size > 0
}
