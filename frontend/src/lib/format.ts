/** Display formats in the exam's time zone (Asia/Shanghai), whatever the phone is set to. */

const ZONE = 'Asia/Shanghai'

export function formatDateTime(iso: string, locale = 'zh-CN'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: ZONE,
    month: locale.startsWith('zh') ? 'long' : 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso))
}

export function formatScore(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const n = Number(value)
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, '')
}

/** A percentage from the API ("87.50") as "87.5%"; a dash when there is nothing to measure (null). */
export function formatPercent(value: string | number | null | undefined): string {
  const score = formatScore(value)
  return score === '—' ? score : `${score}%`
}

/** Seconds as minutes and seconds in words: "12 分 05 秒" / "12 min 05 s". */
export function formatDuration(seconds: number, locale = 'zh-CN'): string {
  const m = Math.floor(seconds / 60)
  const s = Math.round(seconds % 60)
  const zh = locale.startsWith('zh')
  if (m === 0) return zh ? `${s} 秒` : `${s} s`
  const ss = String(s).padStart(2, '0')
  return zh ? `${m} 分 ${ss} 秒` : `${m} min ${ss} s`
}

/** A calendar date of the API (YYYY-MM-DD, already a Beijing date) as 2026年5月12日 / 12 May 2026. */
export function formatDate(isoDate: string, locale = 'zh-CN'): string {
  return new Intl.DateTimeFormat(locale.startsWith('zh') ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    year: 'numeric',
    month: locale.startsWith('zh') ? 'numeric' : 'short',
    day: 'numeric',
  }).format(new Date(`${isoDate}T00:00:00Z`))
}
