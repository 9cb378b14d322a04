import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'people',
    name: 'console-people',
    component: () => import('./PeoplePage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.menu.people', order: 30, icon: 'people' } },
  },
  {
    path: 'people/import',
    name: 'console-roster-import',
    component: () => import('./RosterImportPage.vue'),
    meta: { console: ['organizer'] },
  },
  {
    path: 'people/:id(\\d+)',
    name: 'console-person',
    component: () => import('./PersonPage.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { console: ['organizer'] },
  },
]
export default routes
