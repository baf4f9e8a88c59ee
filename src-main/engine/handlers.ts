import type { MethodName } from '../contract'
import { appHandlers } from './app/handlers'
import { automationHandlers } from './automation/handlers'
import { backupHandlers } from './backup/handlers'
import { compoundHandlers } from './compounds/handlers'
import type { Handler } from './context'
import { dataHandlers } from './data/handlers'
import { driftHandlers } from './drift/handlers'
import { importHandlers } from './import/handlers'
import { jobHandlers } from './jobs/handlers'
import { modelHandlers } from './models/handlers'
import { metricsHandlers } from './metrics/handlers'
import { predictHandlers } from './predict/handlers'
import { reportHandlers } from './reports/handlers'
import { sampleHandlers } from './sample/sample'
import { searchHandlers } from './search/handlers'
import { settingsHandlers } from './settings/handlers'

/**
 * The handler registry: one handler per contract method. The type makes a missing handler a
 * compile error; a test checks that no handler is left without a method.
 */
export const handlers: { [M in MethodName]: Handler<M> } = {
  ...appHandlers,
  ...jobHandlers,
  ...settingsHandlers,
  ...importHandlers,
  ...dataHandlers,
  ...compoundHandlers,
  ...modelHandlers,
  ...predictHandlers,
  ...sampleHandlers,
  ...backupHandlers,
  ...searchHandlers,
  ...driftHandlers,
  ...reportHandlers,
  ...metricsHandlers,
  ...automationHandlers,
}
