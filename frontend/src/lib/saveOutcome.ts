import { ApiError } from '@/api/errors'
import type { SendOutcome } from './saveQueue'

/**
 * What a failed save means for the save queue, for the exam's answers and practice answers alike: kept on
 * the phone and retried (no network, a server in trouble, a session to renew by signing in), or refused for
 * good with the API's code.
 */
export function outcomeOf(e: unknown): SendOutcome {
  if (!(e instanceof ApiError)) return { kind: 'retry' }
  if (e.isNetwork || e.status >= 500 || e.status === 429 || e.isSignedOut) return { kind: 'retry' }
  if (e.code === 'password_change_required') return { kind: 'retry' }
  return { kind: 'rejected', code: e.code }
}
