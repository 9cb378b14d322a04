import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'exams',
    name: 'console-exams',
    component: () => import('./ExamListPage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.menu.exams', order: 20, icon: 'exams' } },
  },
]
export default routes
