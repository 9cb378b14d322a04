import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'results',
    name: 'console-results',
    component: () => import('./ResultsPage.vue'),
    meta: { console: ['results'], menu: { label: 'console.menu.results', order: 40, icon: 'results' } },
  },
]
export default routes
