import { runCli } from '../src-main/hosts/cli-commands'
import { REPO_ROOT, WORKER_SOURCE } from './helpers'

// Apart from helpers.ts: the CLI brings in the web host, whose bridge script is imported the
// bundler's way (`?raw`), which the plain Node child processes of some tests cannot load.
/** Runs one `assay` command in this process (engine on the worker sources), capturing its output. */
export async function assay(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    workerPath: WORKER_SOURCE,
    rendererDir: '/nonexistent',
    appRoot: REPO_ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  })
  return { code, stdout, stderr }
}
