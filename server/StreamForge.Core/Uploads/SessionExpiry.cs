using Microsoft.EntityFrameworkCore;
using StreamForge.Core.Data;

namespace StreamForge.Core.Uploads;

/// <summary>
/// The one sliding-expiry rule: a multipart upload being worked on (parts signed or recorded) stays alive
/// for <see cref="UploadOptions.SessionIdleExpiry"/> after its last activity. A single-PUT upload never
/// slides: its one object is sent at once, and re-signing must not keep an unfinished upload alive forever.
/// </summary>
public static class SessionExpiry
{
    /// <summary>How stale the expiry may get before activity moves it (bounds writes to the session row).</summary>
    public static readonly TimeSpan SlideStep = TimeSpan.FromMinutes(1);

    public static Task<int> SlideAsync(StreamForgeDbContext db, UploadSession session, TimeSpan idleExpiry, DateTimeOffset now, CancellationToken ct)
    {
        if (session.Mode != UploadMode.Multipart) return Task.FromResult(0);
        var expiry = now.Add(idleExpiry);
        // Every rewrite of this indexed row is a new row version under load: move it at most once per step.
        return db.UploadSessions.Where(s => s.Id == session.Id && s.State == UploadState.Active && s.ExpiresAt < expiry - SlideStep)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ExpiresAt, expiry).SetProperty(s => s.UpdatedAt, now), ct);
    }
}
