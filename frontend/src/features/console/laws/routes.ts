import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'laws',
    name: 'console-laws',
    component: () => import('./LawListPage.vue'),
    props: (route) => ({ q: typeof route.query.q === 'string' ? route.query.q : '' }),
    meta: { console: ['organizer'], menu: { label: 'console.menu.laws', order: 15, icon: 'laws' } },
  },
  {
    path: 'laws/new',
    name: 'console-law-new',
    component: () => import('./LawAddPage.vue'),
    meta: { console: ['organizer'] },
  },
  {
    path: 'laws/:lawId(\\d+)',
    name: 'console-law',
    component: () => import('./LawTextPage.vue'),
    props: (route) => ({ lawId: Number(route.params.lawId), q: typeof route.query.q === 'string' ? route.query.q : '' }),
    meta: { console: ['organizer'] },
  },
]
export default routes
