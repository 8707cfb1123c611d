namespace StreamForge.Core.Data;

public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
    public static readonly string[] All = [User, Admin];
}

public sealed class User
{
    public Guid Id { get; set; }
    /// <summary>Lower-cased, trimmed; the unique login name.</summary>
    public string Email { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public string Role { get; set; } = Roles.User;
    /// <summary>Bytes of stored sources plus bytes reserved by open uploads.</summary>
    public long StorageUsedBytes { get; set; }
    /// <summary>Per-user override; null means the default for the role.</summary>
    public long? QuotaBytes { get; set; }
    /// <summary>When the owner proved they read this mailbox (confirmation link or password reset); null = never.</summary>
    public DateTimeOffset? EmailConfirmedAt { get; set; }
    /// <summary>
    /// Access tokens carry the stamp they were issued under; a new stamp (password reset) voids every one of them
    /// at once, before their expiry.
    /// </summary>
    public Guid SecurityStamp { get; set; } = Guid.NewGuid();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<Video> Videos { get; set; } = [];
}

public sealed class Video
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public User? Owner { get; set; }
    public string Title { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public VideoStatus Status { get; set; } = VideoStatus.PendingUpload;
    public string SourceKey { get; set; } = "";
    public long SizeBytes { get; set; }
    /// <summary>
    /// ETag of the source object as completion measured (and charged) it; the worker reads exactly this
    /// version, so bytes written to the key afterwards are never processed.
    /// </summary>
    public string? SourceETag { get; set; }
    /// <summary>Short side of the highest rung the owner asked for (360, 480, 720, 1080); null = no cap.</summary>
    public int? MaxQuality { get; set; }
    public int Progress { get; set; }
    public string? ManifestUrl { get; set; }
    public string? PosterUrl { get; set; }
    public string? ThumbnailsVttUrl { get; set; }
    public double? DurationSeconds { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    /// <summary>ffprobe summary as JSON (codecs, fps, bitrate, audio).</summary>
    public string? ProbeJson { get; set; }
    /// <summary>Renditions produced, as JSON.</summary>
    public string? RenditionsJson { get; set; }
    public int ProcessingAttempts { get; set; }
    /// <summary>Owner retries counted in the 24 hours from <see cref="OwnerRetriesSince"/> (the daily cap).</summary>
    public int OwnerRetries { get; set; }
    public DateTimeOffset? OwnerRetriesSince { get; set; }
    /// <summary>
    /// Version of the published media (0 = none yet). A processing round writes under version + 1 and makes it
    /// current when the video turns ready; retried attempts of the same round reuse that unpublished version, unless
    /// it was already served while growing (<see cref="MediaGrowing"/>): MarkPlayable stores it, so a retry writes the next one.
    /// </summary>
    public int MediaVersion { get; set; }
    /// <summary>
    /// True while <see cref="ManifestUrl"/> points at a version the worker is still writing (playable while
    /// processing); such media is never left referenced once processing stops without becoming ready.
    /// </summary>
    public bool MediaGrowing { get; set; }
    /// <summary>When the video could first be watched while still processing; kept once ready, null when it never was.</summary>
    public DateTimeOffset? PlayableAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>Why a processing video waits in the queue (its owner's processing cap or daily allowance); null while it runs.</summary>
    public string? QueuedReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EnqueuedAt { get; set; }
    public DateTimeOffset? ReadyAt { get; set; }

    public UploadSession? Upload { get; set; }
}

public sealed class UploadSession
{
    public Guid Id { get; set; }
    public Guid VideoId { get; set; }
    public Video? Video { get; set; }
    public UploadMode Mode { get; set; } = UploadMode.Single;
    /// <summary>The S3 multipart upload id; null for single-PUT uploads.</summary>
    public string? S3UploadId { get; set; }
    public string Key { get; set; } = "";
    public long Size { get; set; }
    public long PartSize { get; set; }
    public int PartCount { get; set; }
    public UploadState State { get; set; } = UploadState.Active;
    /// <summary>Sliding: pushed forward by every signing or recording call.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<UploadPart> Parts { get; set; } = [];
}

public sealed class UploadPart
{
    public Guid SessionId { get; set; }
    public int PartNumber { get; set; }
    /// <summary>Null until the client records the part it sent.</summary>
    public string? ETag { get; set; }
    public long? Size { get; set; }
    public DateTimeOffset SignedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    /// <summary>SHA-256 of the token; the token itself is only ever in the cookie.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? ReplacedById { get; set; }
    /// <summary>
    /// The login session: every rotation keeps it, and access tokens name it. The session is live while one of its
    /// tokens is neither revoked nor expired, so revoking them ends the session's access tokens as well.
    /// </summary>
    public Guid SessionId { get; set; }
}

public static class AccountTokenPurpose
{
    public const string PasswordReset = "password_reset";
    public const string EmailConfirmation = "email_confirmation";
    public static readonly string[] All = [PasswordReset, EmailConfirmation];
}

/// <summary>A single-use token mailed to the account's address (password reset, email confirmation).</summary>
public sealed class AccountToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string Purpose { get; set; } = AccountTokenPurpose.PasswordReset;
    /// <summary>SHA-256 of the token; the token itself exists only in the mail that carried it.</summary>
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Set when the token was used, or when a newer token or a completed reset made it void.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}

public static class JobOutcome
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Retrying = "retrying";
    public const string Released = "released";
    public static readonly string[] All = [Running, Succeeded, Failed, Retrying, Released];
}

/// <summary>One execution attempt of a video's processing job: Quartz forgets fired triggers, the dashboard does not.</summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public Guid VideoId { get; set; }
    public int Attempt { get; set; }
    public string Worker { get; set; } = "";
    public DateTimeOffset EnqueuedAt { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string Outcome { get; set; } = JobOutcome.Running;
    public string? Error { get; set; }
}

/// <summary>One caption track of a video, per language.</summary>
public sealed class Caption
{
    public Guid VideoId { get; set; }
    /// <summary>Canonical BCP-47 tag; names the file (captions/{lang}.vtt).</summary>
    public string Lang { get; set; } = "";
    public string Label { get; set; } = "";
    /// <summary>
    /// The normalised WebVTT text (small: the upload is capped). Kept here as well as in storage so that reprocessing,
    /// which publishes a new media version and removes the old one, writes the same captions into the new version.
    /// </summary>
    public string Vtt { get; set; } = "";
    public int CueCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class DownloadStatus
{
    public const string Preparing = "preparing";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public static readonly string[] All = [Preparing, Ready, Failed];
}

/// <summary>
/// The MP4 of one rung of one media version, remuxed on first request and then served from storage. The key
/// (video, version, rendition) makes concurrent requests share one row, hence one job.
/// </summary>
public sealed class VideoDownload
{
    public Guid VideoId { get; set; }
    public int MediaVersion { get; set; }
    /// <summary>The rung id ("720p").</summary>
    public string Rendition { get; set; } = "";
    public string Status { get; set; } = DownloadStatus.Preparing;
    /// <summary>Remux runs started for this row: one per request that found nothing ready (tests prove the cache by it).</summary>
    public int Attempts { get; set; }
    public long? SizeBytes { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
