import { statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BrowserWindow, Menu, app, dialog, ipcMain, session } from 'electron'
import { type CallResult, type Events, isMethodName } from '../contract'
import { startEngineProcess } from './engine-process'
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
  const engine = startEngineProcess(join(here, 'engine.js'), dataDir, appRoot, (event, payload) => {
    for (const w of BrowserWindow.getAllWindows())
      w.webContents.send('workbench:event', event, payload)
  })

  // Only the app's own top frame may call the engine.
  ipcMain.handle(
    'workbench:call',
    (
      event,
      method: unknown,
      input: unknown,
    ): Promise<CallResult<unknown>> | CallResult<unknown> => {
      const frameUrl = event.senderFrame?.url ?? ''
      if (
        !mainWindow ||
        event.sender !== mainWindow.webContents ||
        event.senderFrame !== mainWindow.webContents.mainFrame ||
        !isAppUrl(frameUrl)
      ) {
        return {
          ok: false,
          error: { code: 'unauthorized', message: 'Calls are accepted only from the app window.' },
        }
      }
      if (!isMethodName(method))
        return {
          ok: false,
          error: { code: 'unknown-method', message: `No method named ${String(method)}.` },
        }
      return engine.call(method, input)
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
    const payload: Events['files.chosen'] = {
      files: result.filePaths.map((path) => ({
        path,
        name: basename(path),
        size: statSync(path).size,
      })),
    }
    mainWindow.webContents.send('workbench:event', 'files.chosen', payload)
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
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isAppUrl))
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
