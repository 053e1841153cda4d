/** Getting recordings in: files from the picker or a drop, headerless files, the bundled demo. */
import { getInferenceBridge, type FileLike } from '../bridge/inferenceBridge';
import { markPhase } from '../core/phaseMark';
import type { RawParams } from '../core/readers/types';
import { DEMO_BASE_URL, DEMO_BUNDLE_FILE, demoFiles, demoIndexSchema } from '../ui/demoIndex';
import { markTdoa } from '../ui/tdoaTimeline';
import { disownScenes, locateScenes } from './batchActions';
import { placeOpened, recordingLabel, stampFor } from './fileIdentity';
import { regroup } from './sceneActions';
import { locatable, scenesNaming, toUiError } from './scenes';
import { waitForModel } from './modelReady';
import { importStationFile, isStationListFile } from './stationActions';
import { forgetTdoaRunsOf } from './tdoaActions';
import { getState, useStore, type Store } from './store';
import type { FileError, RecordingEntry } from './types';

/** Files whose format says what they are; anything else that lacks parameters is headerless. */
const SELF_DESCRIBING = /\.(sigmf-meta|sigmf-data|sigmf|wav)$/i;

/**
 * Opens files in the engine. Headerless files the engine cannot open without parameters are set
 * aside for the raw-parameters form instead of being reported as errors.
 */
export async function openFiles(files: File[], raw?: RawParams): Promise<string[]> {
  // A station list dropped with its recordings (issue 12) is imported first, so the TDoA run
  // that the recordings start already knows where the stations are.
  const lists = files.filter(isStationListFile);
  for (const list of lists) await importStationFile(list);
  return openInEngine(
    files.filter((f) => !isStationListFile(f)),
    raw,
  );
}

/** Opens recordings' files (or named parts of one download) in the engine; returns their ids. */
async function openInEngine(files: FileLike[], raw?: RawParams): Promise<string[]> {
  if (files.length === 0) return [];
  useStore.setState({ notice: `Opening ${files.length} file${files.length === 1 ? '' : 's'}…` });
  let result;
  try {
    result = await whileOpening(() => getInferenceBridge().openFiles(files, raw));
    markTdoa('opened');
  } catch (err) {
    const error = toUiError(err);
    getState().addRecordings(
      [],
      files.map((f) => ({ file: f.name, error })),
      [],
    );
    useStore.setState({ notice: `Could not open files: ${error.message}` });
    return [];
  }
  // Only a File the user gave can go to the raw-parameters form.
  const needRaw = raw
    ? []
    : files.filter(
        (f): f is File =>
          f instanceof File &&
          !SELF_DESCRIBING.test(f.name) &&
          result.errors.some((e) => e.file === f.name && e.name === 'MissingParameterError'),
      );
  const rawNames = new Set(needRaw.map((f) => f.name));
  const errors: FileError[] = result.errors
    .filter((e) => !(e.file && rawNames.has(e.file)))
    .map((e) => ({ file: e.file ?? 'unknown file', error: e }));
  const opened = result.recordings.map((r) => ({
    id: r.id,
    name: r.info.name,
    info: r.info,
    file: stampFor(r.info.name, files),
  }));
  const { entries: recordings, replaced } = placeOpened(getState().recordings, opened);
  getState().addRecordings(
    recordings,
    errors,
    replaced.map((r) => r.id),
    result.redated,
  );
  if (replaced.length > 0)
    closeUnshown(replaced, `the earlier copy of ${replaced.map(recordingLabel).join(', ')}`);
  const parts = [`Opened ${recordings.length} recording${recordings.length === 1 ? '' : 's'}`];
  if (errors.length) parts.push(`${errors.length} file error${errors.length === 1 ? '' : 's'}`);
  if (needRaw.length) parts.push(`${needRaw.length} headerless file(s) need parameters`);
  useStore.setState({ pendingRaw: needRaw, notice: `${parts.join(', ')}.` });
  getState().requestFit();
  return recordings.map((r) => r.id);
}

/**
 * Closes in the engine recordings the store forgot (copies a file opened again replaced, or one
 * the operator removed): the worker would otherwise keep them open (and reopen them after a
 * restart: the bridge's journal forgets what it closes) for the life of the page. Not before the
 * scenes shown stop naming them (the grouping that follows the change): until then a locate
 * started from those scenes still sends the old ids. Not awaited: the change is done. Requests
 * already made hold their recordings in the worker (workers/predict.ts). A failure is told, as
 * "Could not close <what>", never thrown.
 */
function closeUnshown(recordings: readonly RecordingEntry[], what: string): void {
  const ids = new Set(recordings.map((r) => r.id));
  const named = (s: Store) =>
    s.grouping.scenes.some((sc) => sc.recordingIds.some((id) => id !== null && ids.has(id)));
  const close = async () => {
    try {
      await getInferenceBridge().closeFiles([...ids]);
    } catch (err) {
      useStore.setState({ notice: `Could not close ${what}: ${toUiError(err).message}` });
    }
  };
  if (!named(getState())) {
    void close();
    return;
  }
  const stop = useStore.subscribe((s) => {
    if (named(s)) return;
    stop();
    void close();
  });
}

/** One click to see it work: the bundled simulated scenes (with truth), opened and located. */
export async function loadDemo(): Promise<void> {
  useStore.setState({ notice: 'Loading demo scenes…' });
  markPhase('demo-clicked');
  try {
    // Counted until its scenes are being located, so the map waits for the whole start of it.
    await whileOpening(async () => {
      const files = await fetchDemoFiles();
      markPhase('demo-fetched');
      await openAndLocate(files);
    });
  } catch (err) {
    useStore.setState({ notice: `Demo failed: ${toUiError(err).message}` });
  }
}

/** Runs `work` counted in the store's filesOpening. */
async function whileOpening<T>(work: () => Promise<T>): Promise<T> {
  useStore.setState((s) => ({ filesOpening: s.filesOpening + 1 }));
  try {
    return await work();
  } finally {
    useStore.setState((s) => ({ filesOpening: s.filesOpening - 1 }));
  }
}

async function fetchDemoFiles(): Promise<FileLike[]> {
  const base = new URL(DEMO_BASE_URL, document.baseURI);
  // Both at once: the bundle's name is fixed, so it need not wait for the index.
  const [indexRes, bundleRes] = await Promise.all([
    fetch(new URL('index.json', base)),
    fetch(new URL(DEMO_BUNDLE_FILE, base)),
  ]);
  if (!indexRes.ok) throw new Error(`demo index: HTTP ${indexRes.status}`);
  if (!bundleRes.ok) throw new Error(`${DEMO_BUNDLE_FILE}: HTTP ${bundleRes.status}`);
  const index = demoIndexSchema.parse(await indexRes.json());
  return demoFiles(index, await bundleRes.blob());
}

/**
 * Opens the files and locates the complete scenes they make, once both the files and the model
 * are ready, in whichever order they finish. The worker groups them only then: before the model
 * list has arrived there is no constellation to group by, and a demo opened that early once found
 * no scenes, so nothing was ever located.
 */
export async function openAndLocate(files: FileLike[]): Promise<void> {
  const recordingIds = new Set(await openInEngine(files));
  if (recordingIds.size === 0) return;
  markPhase('files-opened');
  if (!(await waitForModel())) return; // the engine's own error is on show
  markPhase('model-ready-seen');
  const { scenes } = await regroup();
  markPhase('scenes-grouped');
  const mine = scenes.filter(
    (sc) => locatable(sc) && sc.recordingIds.some((id) => id && recordingIds.has(id)),
  );
  await locateScenes(mine.map((sc) => sc.id));
}

/**
 * Removes one recording (a wrong file dropped, a bad station): the store drops it and the results
 * of the scenes it was part of, which are grouped again without it; other scenes keep theirs. A
 * locate or TDoA run still on its way for those scenes is dropped when it answers.
 */
export function removeRecording(id: string): void {
  const removed = getState().recordings.find((r) => r.id === id);
  if (!removed) return;
  disownScenes(scenesNaming(getState().grouping.scenes, id));
  forgetTdoaRunsOf(id);
  getState().removeRecording(id);
  const label = recordingLabel(removed);
  useStore.setState({ notice: `Removed ${label}.` });
  closeUnshown([removed], label);
}

/** Closes every recording in the engine and forgets results shown. */
export async function clearAll(): Promise<void> {
  const ids = getState().recordings.map((r) => r.id);
  getState().clearRecordings();
  useStore.setState({ notice: 'Cleared.' });
  if (ids.length > 0) await getInferenceBridge().closeFiles(ids);
}
