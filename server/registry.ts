/**
 * The model registry: registry.json (which versions exist, their stage and traffic weight) plus one
 * folder per version with metadata.json and the model file. Shared by the server and the
 * `heimdall models` command; the schemas themselves live in src/core/modelMetadata.ts.
 */
export {
  loadRegistry,
  loadVersionFolder,
  readRegistryFile,
  checkRegistryInvariants,
  type LoadedRegistry,
  type LoadedVersion,
} from './modelRegistry/loadRegistry';
export { sha256OfFile, verifyModelFile } from './modelRegistry/verifyModelFile';
export { writeRegistryAtomic } from './modelRegistry/writeRegistryAtomic';
export {
  promoteVersion,
  setVersionWeight,
  listVersions,
  type PromoteOptions,
  type PromoteResult,
} from './modelRegistry/operations';
export { addVersion } from './modelRegistry/addVersion';
export {
  toManifest,
  toManifestEntry,
  modelFileUrl,
  modelMetadataUrl,
} from './modelRegistry/manifest';
export { RegistryStore, type RegistryStoreEvents } from './modelRegistry/registryStore';
