import type { WatchStatus } from '../../../contract'
import type { EngineContext } from '../../context'
import type { Service } from '../../services'

/**
 * The watched folder as a long-lived part of the engine. (Skeleton: the folder watcher fills it.)
 */
export class FolderWatch {
  status(_ctx: EngineContext): WatchStatus {
    throw new Error('not implemented yet')
  }
}

export function watchService(_watch: FolderWatch): Service<EngineContext> {
  return { name: 'watched folder', start: () => undefined, stop: () => undefined }
}
