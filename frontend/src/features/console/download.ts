import { ApiError } from '@/api'
import { fromApiBody, networkError } from '@/api/errors'
import { decorate } from '@/api/http'

/** The file name a response offers (Content-Disposition, RFC 6266 filename* first), else the fallback. */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star) return decodeURIComponent(star[1]!.trim())
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1]!.trim() : fallback
}

/**
 * Download a file the API makes (xlsx, csv, png …) with the person's session: fetched first, so that a
 * refusal shows as the API's error message on the page instead of a JSON page in a new tab.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(decorate(new Request(url, { credentials: 'same-origin' })))
  } catch {
    throw networkError()
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined)
    throw fromApiBody(response.status, body)
  }
  const name = filenameOf(response.headers.get('Content-Disposition'), fallbackName)
  const href = URL.createObjectURL(await response.blob())
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
  return name
}

export { ApiError }
