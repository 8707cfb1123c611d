import type { ApiClient } from './client';
import type {
  Webhook,
  WebhookCreated,
  WebhookDelivery,
  WebhookEvent,
  CreateDirectUploadRequest,
  DirectUpload,
  DirectUploadCreated,
  AdminStats,
  AdminUser,
  AuthResult,
  CaptionTrack,
  Download,
  Poster,
  CreateUploadRequest,
  DeleteResult,
  JobDetail,
  JobPage,
  JobState,
  JobStats,
  MailAccepted,
  Me,
  Page,
  RequeueResult,
  Role,
  SignedPart,
  UploadCreated,
  UploadStatus,
  UrlImportRequest,
  Video,
  VideoSort,
  VideoStatus,
  WorkerNode,
  QoeOverview,
  QoeSummary,
  QoeWindow,
  ShareLink,
  ShareLinkCreated,
  Visibility,
  WatchPage,
  WatchVideo,
} from './types';

/** Typed wrappers, one per row of docs/api.md, grouped like the document. */
export function authApi(api: ApiClient) {
  return {
    /** A session (201), or, when the service requires email confirmation, only a "check your inbox" message (202). */
    register: (email: string, password: string) => api.post<AuthResult | MailAccepted>('/api/v1/auth/register', { email, password }),
    login: (email: string, password: string) => api.post<AuthResult>('/api/v1/auth/login', { email, password }),
    logout: () => api.post<void>('/api/v1/auth/logout'),
    me: () => api.get<Me>('/api/v1/me'),
    changePassword: (currentPassword: string, newPassword: string) =>
      api.post<void>('/api/v1/me/password', { currentPassword, newPassword }),
    requestPasswordReset: (email: string) => api.post<MailAccepted>('/api/v1/auth/password-reset', { email }),
    confirmPasswordReset: (token: string, newPassword: string) =>
      api.post<void>('/api/v1/auth/password-reset/confirm', { token, newPassword }),
    confirmEmail: (token: string) => api.post<void>('/api/v1/auth/confirm-email', { token }),
    resendConfirmation: () => api.post<MailAccepted>('/api/v1/auth/confirm-email/resend'),
  };
}

const id = encodeURIComponent;

export function uploadsApi(api: ApiClient) {
  return {
    create: (req: CreateUploadRequest) => api.post<UploadCreated>('/api/v1/uploads', req),
    status: (videoId: string) => api.get<UploadStatus>(`/api/v1/uploads/${id(videoId)}`),
    sign: (videoId: string, partNumbers: number[]) =>
      api.post<SignedPart[]>(`/api/v1/uploads/${id(videoId)}/parts/sign`, { partNumbers }),
    recordPart: (videoId: string, partNumber: number, etag: string, size: number) =>
      api.put<void>(`/api/v1/uploads/${id(videoId)}/parts/${partNumber}`, { etag, size }),
    complete: (videoId: string) => api.post<Video>(`/api/v1/uploads/${id(videoId)}/complete`),
    abort: (videoId: string) => api.delete(`/api/v1/uploads/${id(videoId)}`),
  };
}

export function videosApi(api: ApiClient) {
  return {
    list: (page = 1, pageSize = 20, sort: VideoSort = 'created_desc') =>
      api.get<Page<Video>>('/api/v1/videos', { query: { page, pageSize, sort } }),
    get: (videoId: string) => api.get<Video>(`/api/v1/videos/${id(videoId)}`),
    rename: (videoId: string, title: string) => api.patch<Video>(`/api/v1/videos/${id(videoId)}`, { title }),
    /** The media moves between the public and the private prefix in the background (within a minute). */
    setVisibility: (videoId: string, visibility: Visibility) => api.patch<Video>(`/api/v1/videos/${id(videoId)}`, { visibility }),
    remove: (videoId: string) => api.delete(`/api/v1/videos/${id(videoId)}`),
    retry: (videoId: string) => api.post<Video>(`/api/v1/videos/${id(videoId)}/retry`),
    cancel: (videoId: string) => api.post<Video>(`/api/v1/videos/${id(videoId)}/cancel`),
    qoe: (videoId: string, window: QoeWindow = '24h') => api.get<QoeSummary>(`/api/v1/videos/${id(videoId)}/qoe`, { query: { window } }),
  };
}

export function captionsApi(api: ApiClient) {
  return {
    list: (videoId: string) => api.get<CaptionTrack[]>(`/api/v1/videos/${id(videoId)}/captions`),
    /** The file goes as the body, unchanged: the server converts SRT and checks both formats. */
    put: (videoId: string, lang: string, label: string, file: Blob) =>
      api.request<CaptionTrack>('PUT', `/api/v1/videos/${id(videoId)}/captions/${id(lang)}`, {
        query: { label },
        raw: { data: file, contentType: file.type || 'text/plain' },
      }),
    remove: (videoId: string, lang: string) => api.delete(`/api/v1/videos/${id(videoId)}/captions/${id(lang)}`),
  };
}

export function postersApi(api: ApiClient) {
  return {
    get: (videoId: string) => api.get<Poster>(`/api/v1/videos/${id(videoId)}/poster`),
    /** 202 "preparing": a worker cuts the frame; poll get() until ready or failed. */
    fromSprite: (videoId: string, tile: number) => api.request<Poster>('PUT', `/api/v1/videos/${id(videoId)}/poster`, { body: { fromSprite: tile } }),
    atSeconds: (videoId: string, seconds: number) => api.request<Poster>('PUT', `/api/v1/videos/${id(videoId)}/poster`, { body: { atSeconds: seconds } }),
    /** The image goes as the body, unchanged: the server checks it and a worker re-encodes it. */
    image: (videoId: string, file: Blob) =>
      api.request<Poster>('PUT', `/api/v1/videos/${id(videoId)}/poster/image`, { raw: { data: file, contentType: file.type || 'application/octet-stream' } }),
  };
}

export function downloadsApi(api: ApiClient) {
  return {
    original: (videoId: string) => api.get<Download>(`/api/v1/videos/${id(videoId)}/downloads/original`),
    /** "preparing" until the worker has made the MP4; ask again. */
    rendition: (videoId: string, rendition: string) =>
      api.post<Download>(`/api/v1/videos/${id(videoId)}/downloads/${id(rendition)}`),
  };
}

export function adminApi(api: ApiClient) {
  return {
    videos: (page = 1, pageSize = 20, status?: VideoStatus) =>
      api.get<Page<Video>>('/api/v1/admin/videos', { query: { page, pageSize, status } }),
    users: () => api.get<AdminUser[]>('/api/v1/admin/users'),
    updateUser: (userId: string, patch: { role?: Role; quotaBytes?: number | null }) =>
      api.patch<AdminUser>(`/api/v1/admin/users/${id(userId)}`, patch),
    deleteVideo: (videoId: string) => api.delete(`/api/v1/admin/videos/${id(videoId)}`),
    stats: () => api.get<AdminStats>('/api/v1/admin/stats'),
    jobStats: () => api.get<JobStats>('/api/v1/admin/jobs/stats'),
    jobs: (state: JobState, page = 1, pageSize = 50) => api.get<JobPage>('/api/v1/admin/jobs', { query: { state, page, pageSize } }),
    job: (videoId: string) => api.get<JobDetail>(`/api/v1/admin/jobs/${id(videoId)}`),
    requeue: (videoIds: string[]) => api.post<RequeueResult>('/api/v1/admin/jobs/requeue', { videoIds }),
    deleteJobs: (videoIds: string[]) => api.post<DeleteResult>('/api/v1/admin/jobs/delete', { videoIds }),
    workers: () => api.get<WorkerNode[]>('/api/v1/admin/workers'),
    qoe: (window: QoeWindow = '24h') => api.get<QoeOverview>('/api/v1/admin/qoe', { query: { window } }),
  };
}

// ---- API keys (issue 21 §1): managed by a signed-in session only ----
import type { ApiKey, ApiKeyCreated, ApiScope } from './types';

export function keysApi(api: ApiClient) {
  return {
    list: () => api.get<ApiKey[]>('/api/v1/keys'),
    create: (name: string, scopes: ApiScope[]) =>
      api.post<ApiKeyCreated>('/api/v1/keys', { name, scopes }),
    revoke: (keyId: string) => api.delete(`/api/v1/keys/${id(keyId)}`),
  };
}

// ---- Webhooks (issue 21 §3) ----
export function webhooksApi(api: ApiClient) {
  return {
    list: () => api.get<Webhook[]>('/api/v1/webhooks'),
    /** The answer carries the signing secret, shown this once. */
    create: (url: string, events: WebhookEvent[]) => api.post<WebhookCreated>('/api/v1/webhooks', { url, events }),
    remove: (webhookId: string) => api.delete(`/api/v1/webhooks/${id(webhookId)}`),
    deliveries: (webhookId: string) => api.get<WebhookDelivery[]>(`/api/v1/webhooks/${id(webhookId)}/deliveries`),
    resend: (webhookId: string, deliveryId: string) =>
      api.post<void>(`/api/v1/webhooks/${id(webhookId)}/deliveries/${id(deliveryId)}/resend`),
  };
}

// ---- Import from a URL (issue 21 §4) ----
export function importsApi(api: ApiClient) {
  return {
    /** 202 with the video, uploading while the worker fetches it; progress and failure arrive as video events. */
    fromUrl: (req: UrlImportRequest) => api.post<Video>('/api/v1/uploads/from-url', req),
  };
}

// ---- Direct uploads (issue 21 §2): one-time upload links for people without an account ----
export function directUploadsApi(api: ApiClient) {
  return {
    create: (req: CreateDirectUploadRequest) => api.post<DirectUploadCreated>('/api/v1/direct-uploads', req),
    list: () => api.get<DirectUpload[]>('/api/v1/direct-uploads'),
    revoke: (linkId: string) => api.delete(`/api/v1/direct-uploads/${id(linkId)}`),
  };
}

// ---- Watching and sharing (issue 22 §1) ----
export function watchApi(api: ApiClient) {
  return {
    /** Anonymous; 403 `video-private` for a private video without the right to watch it, 404 before it plays. */
    get: (videoId: string, share?: string | null) => api.get<WatchVideo>(`/api/v1/watch/${id(videoId)}`, { query: { share: share || undefined } }),
    /** Public videos only, newest first. */
    list: (page = 1, pageSize = 24) => api.get<WatchPage>('/api/v1/watch', { query: { page, pageSize } }),
  };
}

export function shareLinksApi(api: ApiClient) {
  return {
    list: (videoId: string) => api.get<ShareLink[]>(`/api/v1/videos/${id(videoId)}/share-links`),
    create: (videoId: string, expiresInHours: number) => api.post<ShareLinkCreated>(`/api/v1/videos/${id(videoId)}/share-links`, { expiresInHours }),
    revoke: (videoId: string, linkId: string) => api.delete(`/api/v1/videos/${id(videoId)}/share-links/${id(linkId)}`),
  };
}
