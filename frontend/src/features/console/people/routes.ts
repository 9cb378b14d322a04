import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'people',
    name: 'console-people',
    component: () => import('./PeoplePage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.menu.people', order: 30, icon: 'people' } },
  },
]
export default routes
