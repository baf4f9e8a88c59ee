import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  BrowserWindow,
  type IpcMainInvokeEvent,
  Menu,
  app,
  dialog,
  ipcMain,
  session,
} from 'electron'
import { type CallResult, type Events, type FileRef, isMethodName } from '../contract'
import { startEngineProcess } from './engine-process'
import { electronCapabilities } from './host-capabilities'
import { buildMenu } from './menu'
import { hardenContents, hardenSession } from './security'
import { loadWindowState, saveWindowState } from './window-state'

// The Electron shell: window, menu, dialogs, security, and the relay to the engine. Every domain
// rule lives in the engine (src-main/engine), which never imports electron.

if (!app.requestSingleInstanceLock()) {
  // A second instance would open the same SQLite file; hand over to the first one and leave.
  app.quit()
} else {
  main()
}

const here = dirname(fileURLToPath(import.meta.url))

function main(): void {
  const dataDir = process.env.ASSAY_DATA_DIR ?? app.getPath('userData')
  const rendererIndex = join(here, '../renderer/index.html')
  const rendererUrl = process.env.ELECTRON_RENDERER_URL
  const isAppUrl = (url: string) =>
    rendererUrl
      ? url.startsWith(rendererUrl)
      : url === pathToFileURL(rendererIndex).href ||
        url.startsWith(`${pathToFileURL(rendererIndex).href}#`)
  let mainWindow: BrowserWindow | null = null

  // resources/ and models/ (sample data, baseline model) sit beside the app when packaged
  // (electron-builder extraResources) and at the project root in development.
  const appRoot = app.isPackaged ? process.resourcesPath : app.getAppPath()
  const engine = startEngineProcess(
    join(here, 'engine.js'),
    dataDir,
    appRoot,
    (event, payload) => {
      // Only the app window hears the engine: a hidden printing window is no audience.
      mainWindow?.webContents.send('workbench:event', event, payload)
    },
    electronCapabilities(() => mainWindow),
  )

  // Only the app's own top frame may call the engine or hand it files.
  const fromAppWindow = (event: IpcMainInvokeEvent): boolean =>
    mainWindow !== null &&
    event.sender === mainWindow.webContents &&
    event.senderFrame === mainWindow.webContents.mainFrame &&
    isAppUrl(event.senderFrame?.url ?? '')
  const notFromAppWindow: CallResult<never> = {
    ok: false,
    error: { code: 'unauthorized', message: 'Calls are accepted only from the app window.' },
  }

  ipcMain.handle(
    'workbench:call',
    (
      event,
      method: unknown,
      input: unknown,
    ): Promise<CallResult<unknown>> | CallResult<unknown> => {
      if (!fromAppWindow(event)) return notFromAppWindow
      if (!isMethodName(method))
        return {
          ok: false,
          error: { code: 'unknown-method', message: `No method named ${String(method)}.` },
        }
      return engine.call(method, input)
    },
  )

  // A dropped file: the preload found its path with webUtils.getPathForFile, which gives one only
  // for files that came from the user's desktop (a File the page built itself has none).
  ipcMain.handle(
    'workbench:grant-file',
    (event, path: unknown): Promise<CallResult<FileRef>> | CallResult<FileRef> => {
      if (!fromAppWindow(event)) return notFromAppWindow
      if (typeof path !== 'string' || path.length === 0 || path.length > 4096)
        return {
          ok: false,
          error: { code: 'invalid-input', message: 'A dropped file must have a path on disk.' },
        }
      return engine.grant(path)
    },
  )

  const openFiles = async () => {
    if (!mainWindow) return
    const result = await dialog.showOpenDialog(mainWindow, {
      title: 'Import ChEMBL files',
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: 'Delimited text', extensions: ['csv', 'tsv', 'txt'] }],
    })
    if (result.canceled) return
    // The page gets handles for exactly the files the dialog picked, never their paths.
    const granted = await Promise.all(result.filePaths.map((path) => engine.grant(path)))
    const payload: Events['files.chosen'] = {
      files: granted.flatMap((g) => (g.ok ? [g.value] : [])),
    }
    const refused = granted.flatMap((g) => (g.ok ? [] : [g.error.message]))
    if (payload.files.length > 0)
      mainWindow?.webContents.send('workbench:event', 'files.chosen', payload)
    if (refused.length > 0 && mainWindow)
      await dialog.showMessageBox(mainWindow, {
        type: 'warning',
        message:
          refused.length === 1 ? 'A file cannot be imported' : 'Some files cannot be imported',
        detail: refused.join('\n\n'),
      })
  }

  const createWindow = () => {
    const state = loadWindowState(app.getPath('userData'))
    mainWindow = new BrowserWindow({
      ...state,
      minWidth: 960,
      minHeight: 600,
      show: false,
      title: 'Assay Workbench',
      backgroundColor: '#f6f7f9',
      webPreferences: {
        preload: join(here, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    })
    if (state.maximized) mainWindow.maximize()
    hardenContents(mainWindow.webContents, isAppUrl)
    mainWindow.once('ready-to-show', () => mainWindow?.show())
    mainWindow.on('close', () => {
      if (!mainWindow) return
      const b = mainWindow.getNormalBounds()
      saveWindowState(app.getPath('userData'), { ...b, maximized: mainWindow.isMaximized() })
    })
    mainWindow.on('closed', () => {
      mainWindow = null
    })
    if (rendererUrl) void mainWindow.loadURL(rendererUrl)
    else void mainWindow.loadFile(rendererIndex)
  }

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('web-contents-created', (_event, contents) =>
    // Only the app's own pages (the default session) open links in the browser; the hidden
    // window that prints reports has a session of its own and opens nothing.
    hardenContents(contents, isAppUrl, { openLinks: contents.session === session.defaultSession }),
  )
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('before-quit', () => engine.stop())
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession)
    Menu.setApplicationMenu(
      buildMenu(
        () => mainWindow,
        () => void openFiles(),
      ),
    )
    createWindow()
  })
}
