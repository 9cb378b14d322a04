/**
 * Report leaving and returning to the exam page (切屏) while an attempt is in progress, through the typed API
 * client, queued and retried like autosave. The server counts the leaves; when the exam has a limit, the
 * page shows how many there were, and a leave beyond the limit is answered with the attempt submitted.
 */
import { onBeforeUnmount, ref } from 'vue'
import { api, ApiError, type Attempt } from '@/api'
import { LeaveQueue, type LeaveOutcome, type LeaveReport } from '@/lib/leaveQueue'

async function send(attemptId: number, report: LeaveReport): Promise<LeaveOutcome> {
  try {
    const r = await api.pageLeave(attemptId, report.kind, report.seq)
    return { kind: 'recorded', leaveCount: r.data.leave_count, leaveLimit: r.data.leave_limit, status: r.data.status }
  } catch (e) {
    if (!(e instanceof ApiError) || e.isNetwork || e.status >= 500 || e.status === 429 || e.isSignedOut) return { kind: 'retry' }
    return { kind: 'rejected', code: e.code }
  }
}

export function usePageLeave(opts: { onSubmittedByServer: () => void }) {
  const count = ref(0)
  const limit = ref<number | null>(null)
  let queue: LeaveQueue | null = null

  function onVisibility() {
    if (!queue) return
    if (document.visibilityState === 'hidden') {
      count.value += 1 // shown at once on return; the server's count replaces it when it answers
      queue.report('leave')
    } else {
      queue.report('return')
    }
  }
  function onOnline() {
    queue?.retryNow()
  }

  function start(attempt: Attempt) {
    stop()
    count.value = attempt.leave_count
    limit.value = attempt.leave_limit
    queue = new LeaveQueue({
      attemptId: attempt.id,
      serverSeq: attempt.leave_seq,
      storage: window.localStorage,
      send: (report) => send(attempt.id, report),
      onRecorded: (leaveCount, leaveLimit) => {
        count.value = leaveCount
        limit.value = leaveLimit
      },
      onStopped: (reason) => {
        if (reason === 'left_page') opts.onSubmittedByServer()
      },
    })
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('online', onOnline)
  }

  function stop() {
    queue?.stop()
    queue = null
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('online', onOnline)
  }

  onBeforeUnmount(stop)
  return { count, limit, start, stop }
}
