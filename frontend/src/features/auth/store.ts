import { defineStore } from 'pinia'
import { allauth, api, ApiError, type Me } from '@/api'

/** The signed-in person. `load()` asks the server once per page load; later calls reuse the answer. */
export const useAuthStore = defineStore('auth', {
  state: () => ({
    me: null as Me | null,
    loaded: false,
    signupOpen: null as boolean | null,
    pending: null as Promise<Me | null> | null,
  }),
  getters: {
    mustChangePassword: (s) => Boolean(s.me?.must_change_password),
  },
  actions: {
    load(force = false): Promise<Me | null> {
      if (this.pending && !force) return this.pending
      this.pending = api
        .me()
        .then((r) => r.data)
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.isSignedOut) return null
          throw e
        })
        .then((me) => {
          this.me = me
          this.loaded = true
          return me
        })
        .catch((e: unknown) => {
          this.pending = null
          throw e
        })
      return this.pending
    },
    async login(username: string, password: string) {
      await allauth.config() // sets the CSRF cookie
      await allauth.login(username.trim(), password)
      return this.load(true)
    },
    async logout() {
      try {
        await allauth.logout()
      } finally {
        this.me = null
        this.pending = Promise.resolve(null)
      }
    },
    async changePassword(current: string, next: string) {
      await allauth.changePassword(current, next)
      return this.load(true)
    },
    async loadSignupOpen() {
      if (this.signupOpen === null) {
        this.signupOpen = await api
          .siteSettings()
          .then((r) => r.data.self_signup_enabled)
          .catch(() => false)
      }
      return this.signupOpen
    },
    async signup(input: { real_name: string; phone: string; unit: number; password: string }) {
      await allauth.config()
      await allauth.signup({ username: input.phone.trim(), ...input, phone: input.phone.trim() })
      return this.load(true)
    },
    /** The API said 401/403-password: the page sends the person where they must go. */
    forget() {
      this.me = null
      this.pending = null
      this.loaded = false
    },
  },
})
