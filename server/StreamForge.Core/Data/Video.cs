namespace StreamForge.Core.Data;

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
    /// <summary>An opaque string of the uploader's own (their id for the video), returned as given; at most 255 characters.</summary>
    public string? Passthrough { get; set; }
    /// <summary>Who may watch it; unlisted unless the owner chose otherwise.</summary>
    public VideoVisibility Visibility { get; set; } = VideoVisibility.Unlisted;
    /// <summary>
    /// Where the current media physically is: false under media/{id}/ (anonymously readable), true under private/{id}/
    /// (served only with a playback token). Follows <see cref="Visibility"/> once the background move has run.
    /// </summary>
    public bool MediaPrivate { get; set; }
    public int Progress { get; set; }
    public string? ManifestUrl { get; set; }
    public string? PosterUrl { get; set; }
    public string? ThumbnailsVttUrl { get; set; }
    /// <summary>
    /// The last poster number handed out (0 = none; the worker's own poster.jpg). Each choice publishes
    /// <c>poster-{n}.jpg</c> under a new n, so no key served as immutable is ever rewritten.
    /// </summary>
    public int PosterNumber { get; set; }
    /// <summary>State of the latest poster choice: "preparing", "ready" or "failed"; null when none was made.</summary>
    public string? PosterStatus { get; set; }
    /// <summary>Why the latest poster choice failed (readable, for the owner).</summary>
    public string? PosterError { get; set; }
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
