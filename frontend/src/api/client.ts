import createClient from 'openapi-fetch'
import type { paths } from './schema'
import { decorate } from './http'
import { ApiError, fromApiBody, networkError } from './errors'

/** The one typed client of /api/v1 (types generated from /api/schema/ by `make schema-ts`). */
export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })

client.use({
  onRequest({ request }) {
    return decorate(request)
  },
})

export interface Timed<T> {
  data: T
  /** monotonic times around the request, to sample the server's clock */
  sentAt: number
  receivedAt: number
  /** the response's Date header (server time, whole seconds) */
  serverDate: number | null
}

type FetchResult<T> = Promise<{ data?: T; error?: unknown; response: Response }>

/** Unwrap an openapi-fetch call: the data, or an ApiError (network failures included). */
export async function call<T>(request: () => FetchResult<T>): Promise<Timed<T>> {
  const sentAt = performance.now()
  let result: Awaited<FetchResult<T>>
  try {
    result = await request()
  } catch (e) {
    if (e instanceof ApiError) throw e
    throw networkError()
  }
  const receivedAt = performance.now()
  const { data, error, response } = result
  if (!response.ok) throw fromApiBody(response.status, error)
  const date = response.headers.get('Date')
  return { data: data as T, sentAt, receivedAt, serverDate: date ? Date.parse(date) : null }
}
