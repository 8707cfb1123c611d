/**
 * The SPA's view of the API's DTOs, derived from schema.d.ts (generated from the API's OpenAPI
 * document by `npm run api:types`), so a field the server renames, drops or retypes breaks the
 * typecheck instead of the page. The web narrows what the document can only call `string`
 * (statuses, roles, modes).
 */
import type { components } from './schema';

type Schemas = components['schemas'];

/**
 * A response as it arrives: the API writes every property (nulls included), while the document
 * marks each one optional because the records declare no `required`. `Narrow` replaces fields
 * whose web type is tighter than the document's.
 */
type Dto<T, Narrow = unknown> = Omit<{ [K in keyof T]-?: Exclude<T[K], undefined> }, keyof Narrow> & Narrow;

export type Role = 'user' | 'admin';
export type MaxQuality = 360 | 480 | 720 | 1080;
export type UploadMode = 'single' | 'multipart' | 'import';
export type UploadSessionState = 'active' | 'completed' | 'aborted' | 'expired';
export type VideoStatus = 'pending_upload' | 'uploading' | 'processing' | 'ready' | 'failed';
export type VideoSort = 'created_desc' | 'created_asc' | 'title_asc' | 'title_desc' | 'size_desc';
export type JobState = 'scheduled' | 'processing' | 'succeeded' | 'failed';
/** Who may watch: anyone and listed on /explore, anyone with the link, or the owner and share-link holders. */
export type Visibility = 'public' | 'unlisted' | 'private';

export type User = Dto<Schemas['AuthUser'], { role: Role }>;
export type AuthResult = Dto<Schemas['AuthResult'], { user: User }>;
export type Me = Dto<Schemas['MeResponse'], { role: Role }>;
export type MailAccepted = Dto<Schemas['MailAccepted']>;

type CreateUploadBody = Schemas['CreateUploadRequest'];
/** What the SPA sends; the document allows nulls everywhere because the server validates the body itself. */
export interface CreateUploadRequest {
  fileName: NonNullable<CreateUploadBody['fileName']>;
  size: NonNullable<CreateUploadBody['size']>;
  contentType: NonNullable<CreateUploadBody['contentType']>;
  title?: NonNullable<CreateUploadBody['title']>;
  maxQuality?: MaxQuality;
  /** The server's default is `unlisted`. */
  visibility?: Visibility;
}

export type UploadCreated = Dto<Schemas['UploadCreated'], { mode: UploadMode }>;
export type UploadedPart = Dto<Schemas['UploadedPart']>;
export type UploadStatus = Dto<Schemas['UploadStatus'], { state: UploadSessionState; mode: UploadMode; parts: UploadedPart[] }>;
export type SignedPart = Dto<Schemas['SignedPart']>;

/** One published rung of a ready video (the worker's RenditionFacts, read back through the same serializer). */
export type Rendition = Dto<Schemas['RenditionFacts']>;
/** What ffprobe found in the source (the worker's ProbeFacts). */
export type Probe = Dto<Schemas['ProbeFacts']>;

export type CaptionTrack = Dto<Schemas['CaptionTrackDto']>;
export type RenditionDownload = Dto<Schemas['RenditionDownloadDto']>;
export type VideoDownloads = Dto<Schemas['VideoDownloadsDto'], { renditions: RenditionDownload[] }>;
export type Download = Dto<Schemas['DownloadDto'], { status: 'preparing' | 'ready' }>;
export type PosterStatus = 'default' | 'preparing' | 'ready' | 'failed';
export type Poster = Dto<Schemas['PosterDto'], { status: PosterStatus }>;

export type Video = Dto<
  Schemas['VideoDto'],
  {
    status: VideoStatus;
    visibility: Visibility;
    /** Only the single-video answer (GET /videos/{id}) fills these; lists send null. */
    captions: CaptionTrack[] | null;
    downloads: VideoDownloads | null;
    /** null until the worker has probed the source. */
    probe: Probe | null;
    /** null until the video is ready (the worker records the ladder at the end). */
    renditions: Rendition[] | null;
  }
>;

export type Page<T> = Dto<Schemas['VideoDtoPagedList'], { items: T[] }>;

/**
 * A message of the GET /api/v1/events stream (the document describes its `data`: the C# VideoEvent). Events
 * older than a field may lack it, hence the optional narrowings.
 */
export type VideoEvent = Dto<
  Schemas['VideoEvent'],
  {
    /** `deleted`: the video is gone (deleted, or its upload aborted); it is never a stored status. */
    status: VideoStatus | 'deleted';
    /** Set while the video waits for a worker slot or for its owner's daily allowance. */
    queuedReason?: string | null;
    /**
     * Only on the `playable` event (SSE type "playable", status `processing`): the manifest of the media that is still
     * growing, which can be watched from the start already. Every other event leaves it null.
     */
    manifestUrl?: string | null;
    /** With `manifestUrl`: when the video first became playable while processing. */
    playableAt?: string | null;
  }
>;

export type AdminUser = Dto<Schemas['AdminUserDto'], { role: Role }>;

export type JobStats = Dto<Schemas['JobStats'], { history: Dto<Schemas['JobHistoryPoint']>[] }>;

export type JobOutcome = 'running' | 'succeeded' | 'failed' | 'retrying' | 'released';
export type JobAttempt = Dto<Schemas['JobAttemptDto'], { outcome: JobOutcome }>;
export type Job = Dto<Schemas['JobDto'], { state: JobState }>;
export type JobPage = Dto<Schemas['JobDtoPagedList'], { items: Job[] }>;
/** GET /admin/jobs/{id}: the job as listed plus its attempt history. */
export type JobDetail = Dto<Schemas['JobDetailDto'], { job: Job; attempts: JobAttempt[] }>;
export type WorkerNode = Dto<Schemas['WorkerDto']>;
export type RequeueResult = Dto<Schemas['RequeueResult']>;
export type DeleteResult = Dto<Schemas['DeleteResult']>;

export type StorageUser = Dto<Schemas['StorageUser']>;
/** GET /admin/stats: the dashboard's key figures (nested records narrowed too, `Dto` is shallow). */
export type AdminStats = Dto<
  Schemas['AdminStats'],
  {
    videosByStatus: Partial<Record<VideoStatus, number>>;
    queue: Dto<Schemas['QueueFigures']>;
    workers: Dto<Schemas['WorkerFigures']>;
    uploads: Dto<Schemas['UploadFigures']>;
    topStorageUsers: StorageUser[];
  }
>;

// ---- API keys (issue 21 §1) ----
export type ApiScope = 'videos:read' | 'videos:write' | 'uploads:write' | 'webhooks:manage';
/** GET /keys: a key as listed, never its secret. */
export type ApiKey = Dto<Schemas['ApiKeyDto'], { scopes: ApiScope[] }>;
/** POST /keys: the key with its secret, shown this once. */
export type ApiKeyCreated = Dto<Schemas['ApiKeyCreated'], { scopes: ApiScope[] }>;

// ---- Webhooks (issue 21 §3) ----
export type WebhookEvent = 'video.created' | 'video.playable' | 'video.ready' | 'video.failed' | 'video.deleted' | 'upload.expired';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['video.created', 'video.playable', 'video.ready', 'video.failed', 'video.deleted', 'upload.expired'];
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';
export type Webhook = Dto<Schemas['WebhookDto'], { events: WebhookEvent[] }>;
/** The answer to a registration: the only time the signing secret is shown. */
export type WebhookCreated = Dto<Schemas['WebhookCreated'], { events: WebhookEvent[] }>;
export type WebhookDelivery = Dto<Schemas['WebhookDeliveryDto'], { eventType: WebhookEvent; status: WebhookDeliveryStatus }>;

// ---- Import from a URL (issue 21 §4) ----
type UrlImportBody = Schemas['UrlImportRequest'];
/** POST /api/v1/uploads/from-url: the server fetches the file; the answer is the new video (uploading). */
export interface UrlImportRequest {
  url: NonNullable<UrlImportBody['url']>;
  title?: NonNullable<UrlImportBody['title']>;
  maxQuality?: MaxQuality;
  visibility?: Visibility;
}

// ---- Direct uploads (issue 21 §2) ----
export type DirectUploadStatus = 'unused' | 'used' | 'expired';
export type DirectUpload = Dto<Schemas['DirectUploadDto'], { status: DirectUploadStatus; maxQuality: MaxQuality | null }>;
export type DirectUploadCreated = Dto<Schemas['DirectUploadCreated']>;
export interface CreateDirectUploadRequest {
  title?: string;
  maxQuality?: MaxQuality;
  passthrough?: string;
  allowedOrigin?: string;
  expiresInSeconds?: number;
}

// ---- Playback quality (QoE) ----
export type QoeWindow = '24h' | '7d';
/** Share of the window's watch time on one rendition height. */
export type RenditionShare = Dto<Schemas['RenditionShare']>;
export type QoeSummary = Dto<Schemas['QoeSummary'], { window: QoeWindow; renditions: RenditionShare[] }>;
export type VideoQoe = Dto<Schemas['VideoQoe']>;
export type QoeOverview = Dto<Schemas['QoeOverview'], { totals: QoeSummary; worstVideos: VideoQoe[] }>;

// ---- Watching and sharing (issue 22 §1) ----
/**
 * GET /watch/{id}: the viewer's view of a video, no owner-only fields. For a private video every URL carries a
 * playback token in its path (…/p/{token}/private/…), which the relative URLs inside the manifests inherit.
 * `isOwner`: the caller owns it (the page then shows the owner's panels); `playable`: it can be played now.
 */
export type WatchVideo = Dto<Schemas['WatchDto'], { status: VideoStatus; visibility: Visibility; captions: CaptionTrack[] }>;
export type WatchPage = Dto<Schemas['WatchDtoPagedList'], { items: WatchVideo[] }>;
/** A share link as listed: never its token. */
export type ShareLink = Dto<Schemas['ShareLinkDto']>;
/** The answer to making a share link: the only time its URL and token are shown. */
export type ShareLinkCreated = Dto<Schemas['ShareLinkCreated']>;
