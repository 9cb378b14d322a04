import { createApp } from 'vue'
import { createPinia } from 'pinia'
import './shell/vant'
import './styles/base.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { useSettingsStore } from './shell/settings'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
app.use(router)
void useSettingsStore().apply()
app.mount('#app')
