/**
 * ECharts for the monitor pages only, imported piece by piece (bar charts on a grid, tooltips, the canvas
 * renderer): only these pages' chunk carries it, never the participant's.
 *
 * Strict CSP (style-src 'self'): vue-echarts adopts its base styles as a constructed stylesheet, and its
 * stylesheet is imported as a file too for browsers without constructable stylesheets (older intranet
 * browsers); tooltips render as rich text on the canvas, because the HTML tooltip's markers are inline
 * style attributes, which the policy blocks.
 */
import 'vue-echarts/style.css'
import { use } from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import VChart from 'vue-echarts'

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export { VChart }

/** The app's palette (theme.css), AA contrast on white for bars and labels. */
export const COLORS = { done: '#1b6e34', pending: '#c9ced6', bar: '#1a56b4', text: '#1f2328', axis: '#4b5158' }

export const TOOLTIP = { trigger: 'axis', renderMode: 'richText', axisPointer: { type: 'shadow' } } as const
