/**
 * The model registry on disk: registry.json (which versions exist, their stage and traffic weight)
 * plus one folder per version with metadata.json and the model file. The one reader and writer of
 * those files, used by the server, the command line, the training tools and the e2e support; the
 * schemas themselves live in src/core/modelMetadata.ts.
 */
export {
  loadRegistry,
  loadVersionFolder,
  readRegistryFile,
  readVersionMetadata,
  resolveVersionDir,
  checkRegistryInvariants,
  type LoadedRegistry,
  type LoadedVersion,
} from './modelRegistry/loadRegistry';
export { sha256OfFile, verifyModelBytes, verifyModelFile } from './modelRegistry/verifyModelFile';
export { writeRegistryAtomic } from './modelRegistry/writeRegistryAtomic';
export {
  promoteVersion,
  setVersionWeight,
  listVersions,
  type PromoteOptions,
  type PromoteResult,
} from './modelRegistry/operations';
export { addVersion } from './modelRegistry/addVersion';

/** The shipped models' registry, relative to the project root: every tool's default. */
export const DEFAULT_REGISTRY_PATH = 'public/models/registry.json';
