using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Worker.Processing;

/// <summary>
/// One user cannot occupy the workers: at most <see cref="UserProcessingOptions.MaxConcurrentPerUser"/> of their
/// videos run at once (over every worker), and their runs take at most <see cref="UserProcessingOptions.DailyAllowance"/>
/// of worker time in any 24 hours. Call inside the transaction that starts the run: the per-user advisory lock holds
/// until it commits, so two workers cannot both see a free slot and both take it.
/// </summary>
public sealed class UserAdmission(StreamForgeDbContext db, IOptions<UserProcessingOptions> options)
{
    // First key of the two-key advisory lock: this lock's namespace, so other advisory locks never collide with it.
    private const int LockSpace = 0x5f_50_52_43;

    public async Task<AdmissionWait?> CheckAsync(Video video, CancellationToken ct)
    {
        var o = options.Value;
        if (o.MaxConcurrentPerUser <= 0 && o.DailyAllowance <= TimeSpan.Zero) return null;
        var role = await db.Users.Where(u => u.Id == video.OwnerId).Select(u => u.Role).SingleOrDefaultAsync(ct);
        if (role == Roles.Admin) return null;

        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, hashtext({1}))", [LockSpace, video.OwnerId.ToString("D")], ct);
        if (o.MaxConcurrentPerUser > 0)
        {
            var running = await db.JobRuns.CountAsync(r => r.Outcome == JobOutcome.Running && r.VideoId != video.Id &&
                db.Videos.Any(v => v.Id == r.VideoId && v.OwnerId == video.OwnerId), ct);
            if (running >= o.MaxConcurrentPerUser)
            {
                return new AdmissionWait(
                    $"Waiting: {Count(o.MaxConcurrentPerUser)} of your videos can be processed at a time; this one starts when one of the others is done.",
                    o.WaitRetryDelay);
            }
        }

        if (o.DailyAllowance > TimeSpan.Zero)
        {
            // Worker time inside the last 24 hours, a running run counting up to now, and the runs of videos deleted
            // meanwhile (deleting a video does not give its worker time back).
            var used = await db.Database.SqlQueryRaw<double>("""
                SELECT coalesce(sum(extract(epoch FROM finished - greatest(started, now() - interval '24 hours'))), 0)::float8 AS "Value"
                FROM (
                    SELECT r.started_at AS started, coalesce(r.finished_at, now()) AS finished
                    FROM job_runs r JOIN videos v ON v.id = r.video_id WHERE v.owner_id = {0}
                    UNION ALL
                    SELECT d.started_at, d.finished_at FROM deleted_video_runs d WHERE d.owner_id = {0}
                ) runs
                WHERE finished > now() - interval '24 hours'
                """, video.OwnerId).SingleAsync(ct);
            if (used >= o.DailyAllowance.TotalSeconds)
            {
                return new AdmissionWait(
                    $"Waiting: your videos used their {StreamForge.Media.MediaLimits.Duration(o.DailyAllowance.TotalSeconds)} of processing time for the last 24 hours; this one starts when some of it frees up.",
                    o.AllowanceRetryDelay);
            }
        }

        return null;
    }

    private static string Count(int n) => n == 1 ? "only one" : n.ToString(CultureInfo.InvariantCulture);
}
