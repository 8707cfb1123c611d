using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Core.Data;

namespace StreamForge.Api.Auth;

/// <summary>
/// The account-level sign-in throttle. The per-address limit stops one machine; this one stops many machines
/// guessing one password: after <see cref="AuthOptions.LoginFailuresBeforeBackoff"/> failures of an email, each
/// further attempt must wait twice as long as the one before, never longer than <see cref="AuthOptions.LoginBackoffMax"/>
/// (so a stranger cannot lock the owner out for longer than that at a time). Counted in the database, so every API
/// node sees the same count, and claimed before the password is checked, so parallel guesses cannot slip through
/// together.
/// </summary>
public sealed class LoginThrottle(StreamForgeDbContext db, IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <summary>Beyond 2^20 × base the wait is the maximum anyway; the cap keeps power() finite.</summary>
    private const int MaxDoublings = 20;

    private AuthOptions O => options.Value;

    /// <summary>
    /// Counts an attempt for the email as a failure until <see cref="SucceededAsync"/> says otherwise. Returns null
    /// when the attempt may go ahead, otherwise how long to wait (the attempt is then not counted).
    /// </summary>
    public async Task<TimeSpan?> TryBeginAsync(string normalizedEmail, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var forgetBefore = now - O.LoginFailureWindow;
        var free = O.LoginFailuresBeforeBackoff;
        var baseSeconds = O.LoginBackoffBase.TotalSeconds;
        var maxSeconds = O.LoginBackoffMax.TotalSeconds;
        // One statement: the row lock orders concurrent attempts, and a refused attempt changes nothing.
        var counted = await db.Database.SqlQuery<int>($"""
            INSERT INTO login_failures AS f (email, failures, last_failure_at) VALUES ({normalizedEmail}, 1, {now})
            ON CONFLICT (email) DO UPDATE SET
                failures = CASE WHEN f.last_failure_at <= {forgetBefore} THEN 1 ELSE f.failures + 1 END,
                last_failure_at = {now}
            WHERE f.last_failure_at <= {forgetBefore}
               OR f.failures < {free}
               OR f.last_failure_at + make_interval(secs => LEAST({baseSeconds} * power(2, LEAST(f.failures - {free}, {MaxDoublings})), {maxSeconds})) <= {now}
            RETURNING f.failures AS "Value"
            """).ToListAsync(ct);
        if (counted.Count == 1)
        {
            // A fresh count: a good moment to sweep names nobody has tried for a while.
            if (counted[0] == 1) await db.LoginFailures.Where(f => f.LastFailureAt <= forgetBefore && f.Email != normalizedEmail).ExecuteDeleteAsync(ct);
            return null;
        }
        var row = await db.LoginFailures.AsNoTracking().SingleOrDefaultAsync(f => f.Email == normalizedEmail, ct);
        if (row is null) return O.LoginBackoffBase;
        var wait = TimeSpan.FromSeconds(Math.Min(baseSeconds * Math.Pow(2, Math.Min(row.Failures - free, MaxDoublings)), maxSeconds));
        var left = row.LastFailureAt + wait - now;
        return left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1);
    }

    /// <summary>A correct password (or a completed password reset) clears the count.</summary>
    public Task SucceededAsync(string normalizedEmail, CancellationToken ct) =>
        db.LoginFailures.Where(f => f.Email == normalizedEmail).ExecuteDeleteAsync(ct);
}
