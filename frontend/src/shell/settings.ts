import { defineStore } from 'pinia'
import { setApiLanguage } from '@/api'
import { setLocale, type Locale } from '@/i18n'

const KEY = 'xuefa.settings'

interface Saved {
  locale: Locale
  largeText: boolean
}

function read(): Saved {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Saved>
    return { locale: saved.locale === 'en' ? 'en' : 'zh-CN', largeText: Boolean(saved.largeText) }
  } catch {
    return { locale: 'zh-CN', largeText: false }
  }
}

/** Per-device display settings: language and large text. */
export const useSettingsStore = defineStore('settings', {
  state: (): Saved => read(),
  actions: {
    async apply() {
      document.documentElement.classList.toggle('large-text', this.largeText)
      setApiLanguage(this.locale)
      await setLocale(this.locale)
    },
    async setLocale(locale: Locale) {
      this.locale = locale
      this.save()
      await this.apply()
    },
    async toggleLargeText() {
      this.largeText = !this.largeText
      this.save()
      await this.apply()
    },
    save() {
      try {
        localStorage.setItem(KEY, JSON.stringify({ locale: this.locale, largeText: this.largeText }))
      } catch {
        // private mode: settings last for this visit only
      }
    },
  },
})
