#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { runCli } from './cli-commands'

// The `assay` command. The built file sits beside worker.js and above the built renderer.
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url))

runCli(process.argv.slice(2), {
  workerPath: here('./worker.js'),
  rendererDir: here('../renderer'),
  appRoot: here('../..'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`assay: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
