/** What every request needs: same-origin cookies, the CSRF token on unsafe methods, the UI language. */

let language = 'zh-hans'

export function setApiLanguage(lang: string): void {
  language = lang.startsWith('en') ? 'en' : 'zh-hans'
}

function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)
  return match ? decodeURIComponent(match[1]!) : ''
}

function isUnsafe(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase())
}

export function decorate(request: Request): Request {
  request.headers.set('Accept-Language', language)
  if (isUnsafe(request.method)) request.headers.set('X-CSRFToken', csrfToken())
  return request
}
