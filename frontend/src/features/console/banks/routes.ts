import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'banks',
    name: 'console-banks',
    component: () => import('./BankListPage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.menu.banks', order: 10, icon: 'banks' } },
  },
]
export default routes
