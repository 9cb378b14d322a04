/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

/**
 * Vant's stylesheet declares its icon font as an inline data: URL with a fallback on a public CDN.
 * Neither may stay: the intranet has no CDN and a strict CSP (font-src 'self') blocks data: fonts.
 * Drop Vant's @font-face; src/styles/base.css declares the same font from a bundled file.
 */
function vantIconFontLocal(): Plugin {
  return {
    name: 'xuefa:vant-icon-font-local',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/].*\.css$/.test(id) || !code.includes('@font-face')) return null
      return { code: code.replace(/@font-face\s*{[^}]*font-family:\s*["']?vant-icon["']?[^}]*}/g, ''), map: null }
    },
  }
}

/**
 * Start fetching the exam-taking route with the entry script: a participant opening an exam link on a
 * slow phone network must not wait for one more round trip after the app has booted.
 */
function preloadExamRoute(): Plugin {
  return {
    name: 'xuefa:preload-exam-route',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html']
      if (!html || html.type !== 'asset') return
      const chunk = Object.values(bundle).find(
        (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('features/exam/ExamTakePage.vue'),
      )
      if (!chunk || chunk.type !== 'chunk') return
      const base = '/static/app/'
      const source = String(html.source)
      const seen = (file: string) => source.includes(`${base}${file}"`)
      const js = [chunk.fileName, ...chunk.imports].filter((f) => !seen(f))
      const css = new Set<string>()
      for (const name of [chunk.fileName, ...chunk.imports]) {
        const c = bundle[name]
        if (c?.type === 'chunk') c.viteMetadata?.importedCss.forEach((f) => css.add(f))
      }
      const links = [
        ...js.map((f) => `<link rel="modulepreload" crossorigin href="${base}${f}">`),
        ...[...css].filter((f) => !seen(f)).map((f) => `<link rel="stylesheet" crossorigin href="${base}${f}">`),
      ].join('\n    ')
      html.source = source.replace('</head>', `  ${links}\n  </head>`)
    },
  }
}

/** vendor: the runtime every page needs; app: the shared app code (API, lib, shell, stores). */
function chunkGroup(id: string): string | null {
  if (/node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify|@vant)[\\/]/.test(id)) return 'vendor'
  if (/node_modules[\\/]vant[\\/]es[\\/](utils|composables|popup|overlay|button|loading|icon|badge|toast|lazyload|config-provider|locale)[\\/]/.test(id)) {
    return 'vendor'
  }
  // the console's charts, in one file named for what it is (console.spec.ts checks a phone never loads it)
  if (/node_modules[\\/](echarts|zrender|vue-echarts)[\\/]/.test(id)) return 'echarts'
  if (/node_modules[\\/]openapi-fetch[\\/]/.test(id)) return 'app'
  if (/[\\/]src[\\/](api|lib|shell|i18n|styles)[\\/]/.test(id) && !id.endsWith('en.ts')) return 'app'
  if (/[\\/]src[\\/](router\.ts|features[\\/][a-z]+[\\/]store\.ts)/.test(id)) return 'app'
  return null
}

export default defineConfig(({ command }) => ({
  // Django serves the built files under /static/app/ (STATICFILES_DIRS) and index.html at every app route.
  base: command === 'build' ? '/static/app/' : '/',
  plugins: [vue(), vantIconFontLocal(), preloadExamRoute()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: {
    __VUE_OPTIONS_API__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0, // no data: URLs: a strict CSP allows only files from the app's own origin
    reportCompressedSize: false,
    // the console's ECharts chunk (about 520 KB, 175 KB gzipped) loads only with its two chart pages, at a desk
    chunkSizeWarningLimit: 600,
    manifest: true,
    // The participant pages share one stylesheet (Vant and the app, about 11 KB gzipped) plus a small one per
    // page; the console's Element Plus styles come only with the console's lazy chunk, never on a phone.
    cssCodeSplit: true,
    rolldownOptions: {
      output: {
        // Few, larger files for the exam route: over HTTP/1.1 a phone fetches 6 at a time, and every
        // extra wave costs a full round trip (≈ 0.56 s on Fast 3G).
        codeSplitting: {
          groups: [{ name: chunkGroup, debugName: 'xuefa' }],
        },
      },
    }, // dist/.vite/manifest.json: scripts/measure.mjs sums what the exam route loads
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/_allauth': 'http://127.0.0.1:8000',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
}))
