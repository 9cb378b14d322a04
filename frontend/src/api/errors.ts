/** One error type for the app, from the API's format, allauth's format, or a failed network. */

type FieldErrors = Record<string, string[]>

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** the API's stable code (api.md), allauth's code, or "network" when nothing came back */
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }

  get isNetwork(): boolean {
    return this.code === 'network'
  }

  /** Not signed in (any more): DRF answers 403 not_authenticated to session clients, allauth 401. */
  get isSignedOut(): boolean {
    return this.status === 401 || this.code === 'not_authenticated' || this.code === 'authentication_failed'
  }
}

interface ApiErrorBody {
  error?: { code?: string; message?: string; fields?: FieldErrors }
}

interface AllauthErrorBody {
  status?: number
  errors?: Array<{ code?: string; message?: string; param?: string }>
}

export function fromApiBody(status: number, body: unknown): ApiError {
  const err = (body as ApiErrorBody | null)?.error
  if (err?.code) return new ApiError(status, err.code, err.message ?? err.code, err.fields ?? {})
  const allauth = (body as AllauthErrorBody | null)?.errors
  if (Array.isArray(allauth) && allauth.length) {
    const fields: FieldErrors = {}
    for (const e of allauth) {
      const key = e.param ?? '__all__'
      ;(fields[key] ??= []).push(e.message ?? e.code ?? '')
    }
    const first = allauth[0]!
    return new ApiError(status, first.code ?? 'invalid', first.message ?? '', fields)
  }
  return new ApiError(status, status >= 500 ? 'server_error' : 'http_' + status, `HTTP ${status}`)
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', 'network')
}
