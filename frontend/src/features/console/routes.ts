import type { RouteRecordRaw } from 'vue-router'
import type { ConsoleRole } from './roles'

declare module 'vue-router' {
  interface RouteMeta {
    /** console pages: the roles that may open them (any one suffices) */
    console?: ConsoleRole[]
    /** the console's side menu: this route's entry (an i18n key) and its order */
    menu?: { label: string; order: number; icon?: string }
  }
}

/**
 * Each console area (banks/, exams/, people/, results/ …) declares its own routes in `<area>/routes.ts`;
 * they are collected here so that areas are added without touching a shared list. The route records are
 * small and eager; every page component stays a lazy chunk, so the participant's routes never load
 * Element Plus or ECharts.
 */
const areas = import.meta.glob<{ default: RouteRecordRaw[] }>('./*/routes.ts', { eager: true })

export const consoleChildren: RouteRecordRaw[] = Object.values(areas).flatMap((m) => m.default)

export const consoleRoute: RouteRecordRaw = {
  path: '/console',
  component: () => import('./ConsoleLayout.vue'),
  children: [
    { path: '', name: 'console', component: () => import('./ConsoleHome.vue'), meta: { console: ['organizer', 'results'] } },
    ...consoleChildren,
    {
      path: ':pathMatch(.*)*',
      name: 'console-not-found',
      component: () => import('./ConsoleNotFound.vue'),
      meta: { console: ['organizer', 'results'] },
    },
  ],
}
