export { UploadManager, type AddFilesResult, type UploadManagerOptions } from './uploadManager';
export { isActiveUpload, isUnfinishedUpload } from './activity';
export { XhrTransport } from './xhrTransport';
export { IndexedDbResumeStore, MemoryResumeStore } from './resumeStore';
export { VIDEO_EXTENSIONS, MAX_FILE_BYTES, validateFile } from './validation';
export type { UploadItemState, UploadManagerState, UploadItemStatus, UploadServer, MaxQuality, Visibility } from './types';
export { droppedFiles, pickFiles, supportsFileHandles, type FileHandle, type PickedFile } from './fileHandles';
export { credentialUploadServer, resumeKeyForToken, type CredentialServerOptions } from './credentialServer';
