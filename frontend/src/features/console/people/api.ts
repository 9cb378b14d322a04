import { client, call } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { components } from '@/api/schema'
import { messageOf } from '@/i18n'

type S = components['schemas']
export type ManagedUnit = S['ManagedUnit']
export type Person = S['Person']
export type PersonDetail = S['PersonDetail']
export type PersonAttempt = S['PersonAttempt']
export type RosterImport = S['RosterImport']
export type RosterItem = S['RosterItem']
export type RosterCommit = S['RosterCommit']
export type UnitKind = NonNullable<S['UnitCreateRequest']['kind']>
export type PersonPage = S['PaginatedPersonList']

export const UNIT_KINDS: UnitKind[] = ['city', 'town', 'street', 'department', 'village', 'other']

/** The server's own message (already in the reader's language) for a refusal it explains; else the app's text. */
export function apiMessage(e: unknown): string {
  if (e instanceof ApiError && !e.isNetwork && e.status < 500 && e.message && e.message !== e.code) return e.message
  return messageOf(e)
}

export const peopleApi = {
  units: async () => (await call(() => client.GET('/api/v1/units/managed'))).data,
  addUnit: async (body: { name: string; kind: UnitKind; parent_id: number }) =>
    (await call(() => client.POST('/api/v1/units/managed', { body }))).data,
  changeUnit: async (
    unitId: number,
    body: { name?: string; kind?: UnitKind; parent_id?: number; is_active?: boolean },
  ) => (await call(() => client.PATCH('/api/v1/units/managed/{unit_id}', { params: { path: { unit_id: unitId } }, body }))).data,
  people: async (query: { q?: string; unit?: number; page?: number; page_size?: number }) =>
    (await call(() => client.GET('/api/v1/users/', { params: { query } }))).data,
  person: async (userId: number) =>
    (await call(() => client.GET('/api/v1/users/{user_id}', { params: { path: { user_id: userId } } }))).data,
  issuePassword: async (userId: number) =>
    (await call(() => client.POST('/api/v1/users/{user_id}/password', { params: { path: { user_id: userId } } }))).data,
  unlock: async (userId: number) =>
    (await call(() => client.POST('/api/v1/users/{user_id}/unlock', { params: { path: { user_id: userId } } }))).data,
  previewRoster: async (file: File, deactivateMissing: boolean) => {
    const form = new FormData()
    form.append('file', file)
    form.append('deactivate_missing', deactivateMissing ? 'true' : 'false')
    return (
      await call(() =>
        client.POST('/api/v1/roster-imports', {
          // multipart: the browser sets the boundary; the typed body is the form's fields
          body: form as unknown as { file: string; deactivate_missing: boolean },
          bodySerializer: (body) => body as unknown as FormData,
        }),
      )
    ).data
  },
  rosterImport: async (importId: number) =>
    (await call(() => client.GET('/api/v1/roster-imports/{import_id}', { params: { path: { import_id: importId } } }))).data,
  commitRoster: async (importId: number) =>
    (await call(() => client.POST('/api/v1/roster-imports/{import_id}/commit', { params: { path: { import_id: importId } } })))
      .data,
}

export const ROSTER_TEMPLATE_URL = '/api/v1/roster-imports/template.xlsx'
export const rosterPasswordsUrl = (importId: number) => `/api/v1/roster-imports/${importId}/passwords.xlsx`
