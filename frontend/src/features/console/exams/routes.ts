import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'exams',
    name: 'console-exams',
    component: () => import('./ExamListPage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.menu.exams', order: 20, icon: 'exams' } },
  },
  {
    path: 'exams/new',
    name: 'console-exam-new',
    component: () => import('./ExamBuilderPage.vue'),
    meta: { console: ['organizer'] },
  },
  {
    path: 'exams/:id(\\d+)',
    name: 'console-exam',
    component: () => import('./ExamBuilderPage.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { console: ['organizer'] },
  },
  {
    path: 'exams/:id(\\d+)/operations',
    name: 'console-exam-operations',
    component: () => import('./ExamOperationsPage.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { console: ['organizer'] },
  },
]
export default routes
