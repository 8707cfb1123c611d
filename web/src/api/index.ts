import { ApiClient } from './client';
import { adminApi, authApi, captionsApi, directUploadsApi, downloadsApi, importsApi, postersApi, shareLinksApi, uploadsApi, videosApi, watchApi } from './endpoints';

export * from './types';
export { ApiError, errorMessage } from './errors';
export { ApiClient } from './client';

/** The app-wide client: same origin as the SPA (the API serves it; Vite proxies in dev). */
export const api = new ApiClient();
export const auth = authApi(api);
export const uploads = uploadsApi(api);
export const videos = videosApi(api);
export const admin = adminApi(api);
export const captions = captionsApi(api);
export const downloads = downloadsApi(api);
export const posters = postersApi(api);
export const imports = importsApi(api);
export const directUploads = directUploadsApi(api);
export const watch = watchApi(api);
export const shareLinks = shareLinksApi(api);
