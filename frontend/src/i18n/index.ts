import { createI18n } from 'vue-i18n'
import zh from './zh-CN'
import { ApiError } from '@/api/errors'

export type Locale = 'zh-CN' | 'en'

// Chinese is bundled; English is loaded only when someone switches to it.
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN' as Locale,
  fallbackLocale: 'zh-CN' as Locale,
  messages: { 'zh-CN': zh } as Record<Locale, typeof zh>,
})

let englishLoaded = false

export async function setLocale(locale: Locale): Promise<void> {
  if (locale === 'en' && !englishLoaded) {
    const en = await import('./en')
    // merge, not set: a lazily loaded part of the app (the console) may have added its own messages already
    i18n.global.mergeLocaleMessage('en', en.default)
    englishLoaded = true
  }
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
}

/** A plain message for an API error code, next to the field or on the page. */
export function errorText(code: string, fallback?: string): string {
  const key = `errors.${code}`
  if (i18n.global.te(key)) return i18n.global.t(key)
  return fallback && fallback !== code ? fallback : i18n.global.t('errors.unknown')
}

/**
 * The message to show for a caught error: an API error by its code (`overrides` maps a code to a page's own
 * wording, e.g. not_found → "not for you"), anything else as the unknown error.
 */
export function messageOf(e: unknown, overrides: Partial<Record<string, string>> = {}): string {
  if (!(e instanceof ApiError)) return errorText('unknown')
  return overrides[e.code] ?? errorText(e.code)
}
