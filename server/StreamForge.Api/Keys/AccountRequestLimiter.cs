using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.Keys;

/// <summary>
/// One request count per account on the routes keys can reach, shared by the account's keys and its sessions: a key
/// is the account, not a second allowance. Key callers past the limit get 429; a session's calls only count, so a
/// busy script slows itself, never the owner's own use of the site.
/// </summary>
public sealed class AccountRequestLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter;

    public AccountRequestLimiter(IOptions<ApiKeyOptions> options)
    {
        var permits = Math.Max(1, options.Value.RequestsPerMinute);
        _limiter = PartitionedRateLimiter.Create<Guid, Guid>(account => RateLimitPartition.GetFixedWindowLimiter(account,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Counts one request of the account; false when the account is over its limit.</summary>
    public bool TryCount(Guid account)
    {
        using var lease = _limiter.AttemptAcquire(account);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    public static IApplicationBuilder UseAccountRequestLimit(IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var endpoint = http.GetEndpoint();
        var keyReachable = endpoint?.Metadata.GetMetadata<ApiScopeMetadata>() is not null || endpoint?.Metadata.GetMetadata<AnyApiKeyMetadata>() is not null;
        if (keyReachable && http.User.Identity?.IsAuthenticated == true && Guid.TryParse(http.User.FindFirst("sub")?.Value, out var account)
            && !http.RequestServices.GetRequiredService<AccountRequestLimiter>().TryCount(account)
            && CallerKinds.Of(http.User) != CallerKinds.Session)
        {
            http.Response.Headers.RetryAfter = "60";
            var limit = http.RequestServices.GetRequiredService<IOptions<ApiKeyOptions>>().Value.RequestsPerMinute;
            await Problems.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
                $"This account made more than {limit} API requests in the last minute (its keys and sessions count together); wait a minute and try again.")
                .ExecuteAsync(http);
            return;
        }
        await next();
    });
}
