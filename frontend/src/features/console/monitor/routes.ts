import type { RouteRecordRaw } from 'vue-router'

/**
 * The monitor area: an exam's live dashboard while it runs and its statistics afterwards. No menu entry:
 * the exam pages link here by name (`console-exam-live`, `console-exam-stats` with `params: { id }`).
 * Organizers and HR both read them (the API scopes what each sees to their subtree).
 */
const routes: RouteRecordRaw[] = [
  {
    path: 'exams/:id(\\d+)/live',
    name: 'console-exam-live',
    component: () => import('./LiveDashboardPage.vue'),
    meta: { console: ['organizer', 'results'] },
  },
  {
    path: 'exams/:id(\\d+)/stats',
    name: 'console-exam-stats',
    component: () => import('./ExamStatsPage.vue'),
    meta: { console: ['organizer', 'results'] },
  },
]
export default routes
