import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'learning/sets',
    name: 'console-practice-sets',
    component: () => import('./PracticeSetsPage.vue'),
    meta: { console: ['organizer'], menu: { label: 'console.learning.sets.title', order: 25, icon: 'practice' } },
  },
  {
    path: 'learning/reach',
    name: 'console-learning-reach',
    component: () => import('./ReachPage.vue'),
    meta: { console: ['results'], menu: { label: 'console.learning.reach.title', order: 45, icon: 'learning' } },
  },
]
export default routes
