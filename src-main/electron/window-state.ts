import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(800).max(10000),
  height: z.number().int().min(560).max(10000),
  maximized: z.boolean(),
})
export type WindowState = z.infer<typeof stateSchema>

const DEFAULT_STATE: WindowState = { width: 1280, height: 800, maximized: false }

/** The last window size and place, or the 1280x800 default when none was saved or the file is damaged. */
export function loadWindowState(dir: string): WindowState {
  try {
    return stateSchema.parse(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')))
  } catch {
    return DEFAULT_STATE
  }
}

export function saveWindowState(dir: string, state: WindowState): void {
  try {
    writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state))
  } catch {
    // Losing the window position is harmless; failing to quit over it is not.
  }
}
