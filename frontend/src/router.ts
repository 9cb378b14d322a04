import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { useAuthStore } from '@/features/auth/store'
import { consoleRoute } from '@/features/console/routes'
import { consoleRoles, isStaff } from '@/features/console/roles'

declare module 'vue-router' {
  interface RouteMeta {
    /** reachable without signing in */
    public?: boolean
    /** the page itself handles 401 / password_change_required, so it need not wait for /me */
    selfGuarded?: boolean
  }
}

// Every page is its own chunk: the exam route loads only what it uses; the console (Element Plus, ECharts)
// is a further set of lazy routes under /console that the participant's pages never load.
export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', name: 'home', component: () => import('@/features/home/HomePage.vue') },
    { path: '/login', name: 'login', component: () => import('@/features/auth/LoginPage.vue'), meta: { public: true } },
    { path: '/signup', name: 'signup', component: () => import('@/features/auth/SignupPage.vue'), meta: { public: true } },
    { path: '/password', name: 'password', component: () => import('@/features/auth/PasswordPage.vue') },
    { path: '/me', name: 'account', component: () => import('@/features/auth/AccountPage.vue') },
    { path: '/exams/:id(\\d+)', name: 'exam', component: () => import('@/features/exam/ExamIntroPage.vue'), props: true },
    {
      path: '/exams/:id(\\d+)/take',
      name: 'take',
      component: () => import('@/features/exam/ExamTakePage.vue'),
      props: true,
      meta: { selfGuarded: true },
    },
    {
      path: '/attempts/:id(\\d+)/result',
      name: 'result',
      component: () => import('@/features/result/ResultPage.vue'),
      props: true,
    },
    {
      path: '/exams/:id(\\d+)/leaderboard',
      name: 'leaderboard',
      component: () => import('@/features/leaderboard/LeaderboardPage.vue'),
      props: true,
    },
    {
      path: '/verify/:code?',
      name: 'verify',
      component: () => import('@/features/verify/VerifyPage.vue'),
      props: true,
      meta: { public: true },
    },
    // learning between exams: practice, the wrong-answer book, daily questions (lazy, outside the exam route)
    { path: '/practice/:id(\\d+)', name: 'practice-set', component: () => import('@/features/learn/PracticeSetPage.vue'), props: true },
    {
      path: '/practice/rounds/:id(\\d+)',
      name: 'practice-round',
      component: () => import('@/features/learn/RoundPage.vue'),
      props: true,
    },
    { path: '/book', name: 'book', component: () => import('@/features/learn/BookPage.vue') },
    { path: '/daily', name: 'daily', component: () => import('@/features/learn/DailyPage.vue') },
    consoleRoute,
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/shell/NotFoundPage.vue'), meta: { public: true } },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

export function loginRoute(to: Pick<RouteLocationNormalized, 'fullPath'>) {
  return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const auth = useAuthStore()
  if (to.meta.selfGuarded && !auth.loaded) {
    void auth.load().catch(() => undefined)
    return true
  }
  try {
    await auth.load()
  } catch {
    return true // offline: let the page show its own error and retry
  }
  if (!auth.me) return loginRoute(to)
  if (auth.mustChangePassword && to.name !== 'password') {
    return { name: 'password', query: { next: to.fullPath } }
  }
  // Organizers and HR work in the console; the participant's exam list stays one click away (?view=participant).
  if (to.name === 'home' && isStaff(auth.me) && to.query.view !== 'participant') return { name: 'console' }
  const allowed = to.meta.console
  if (allowed) {
    const roles = consoleRoles(auth.me)
    if (!allowed.some((role) => roles.has(role))) return isStaff(auth.me) ? { name: 'console' } : { name: 'home' }
  }
  return true
})

/** Only same-app paths are followed after login (never an open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/'
}
