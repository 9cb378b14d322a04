/**
 * django-allauth headless, browser client (session cookie + CSRF): /_allauth/browser/v1/…
 * Its endpoints are not in /api/schema/ (allauth serves its own specification), so the few shapes used
 * here are written out by hand.
 */
import { decorate } from './http'
import { ApiError, fromApiBody, networkError } from './errors'

const BASE = '/_allauth/browser/v1'

interface AllauthResponse {
  status: number
  data?: { user?: { id: number; username: string; display?: string } }
  meta?: { is_authenticated?: boolean }
}

async function request(method: string, path: string, body?: unknown): Promise<AllauthResponse> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  }
  let response: Response
  try {
    response = await fetch(decorate(new Request(BASE + path, init)))
  } catch {
    throw networkError()
  }
  const json = (await response.json().catch(() => ({}))) as AllauthResponse
  // 401 on the session endpoints means "not signed in", which is an answer, not an error.
  if (response.ok || (response.status === 401 && method !== 'POST')) return { ...json, status: response.status }
  if (response.status === 401 && path === '/auth/login') {
    throw new ApiError(401, 'login_failed', '', {})
  }
  throw fromApiBody(response.status, json)
}

export const allauth = {
  /** sets the csrftoken cookie */
  config: () => request('GET', '/config'),
  session: () => request('GET', '/auth/session'),
  login: (username: string, password: string) => request('POST', '/auth/login', { username, password }),
  logout: () => request('DELETE', '/auth/session'),
  signup: (input: { username: string; password: string; real_name: string; phone: string; unit: number }) =>
    request('POST', '/auth/signup', input),
  changePassword: (current_password: string, new_password: string) =>
    request('POST', '/account/password/change', { current_password, new_password }),
}
