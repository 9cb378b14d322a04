import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'banks',
    name: 'console-banks',
    component: () => import('./BankListPage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.menu.banks', order: 10, icon: 'banks' } },
  },
  {
    path: 'banks/:bankId(\\d+)',
    name: 'console-bank-questions',
    component: () => import('./BankQuestionsPage.vue'),
    props: (route) => ({ bankId: Number(route.params.bankId) }),
    meta: { console: ['organizer'] },
  },
  {
    path: 'banks/:bankId(\\d+)/import',
    name: 'console-bank-import',
    component: () => import('./BankImportPage.vue'),
    props: (route) => ({ bankId: Number(route.params.bankId) }),
    meta: { console: ['organizer'] },
  },
]
export default routes
