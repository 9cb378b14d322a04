import { ElMessage, ElMessageBox } from 'element-plus'
import { i18n, messageOf } from '@/i18n'
import { lawsApi } from './api'

/** Ask, then delete a text of the unit's own; true once it is gone (the list and the text page both call it). */
export async function confirmDeleteLaw(law: { id: number; name: string; edition: string }): Promise<boolean> {
  const t = i18n.global.t
  try {
    await ElMessageBox.confirm(t('console.laws.deleteConfirm', { name: law.name, edition: law.edition }), t('console.laws.deleteTitle'), {
      confirmButtonText: t('console.laws.confirm'),
      cancelButtonText: t('console.laws.cancel'),
      confirmButtonType: 'danger',
      type: 'warning',
    })
  } catch {
    return false // cancelled
  }
  try {
    await lawsApi.remove(law.id)
    ElMessage.success(t('console.laws.deleted', { name: law.name }))
    return true
  } catch (e) {
    ElMessage.error(messageOf(e))
    return false
  }
}
