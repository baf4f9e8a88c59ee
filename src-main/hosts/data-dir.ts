import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'Assay Workbench'

/**
 * The data folder when none is given: `ASSAY_DATA_DIR`, else the folder Electron uses as userData
 * for this app, so the CLI, the web host and the desktop app share one database by default.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.ASSAY_DATA_DIR) return env.ASSAY_DATA_DIR
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}
