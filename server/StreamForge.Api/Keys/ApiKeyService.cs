using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;

namespace StreamForge.Api.Keys;

/// <summary>An account's API keys: made (the secret returned once), listed, revoked, and found again by their secret.</summary>
public sealed class ApiKeyService(StreamForgeDbContext db, IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    public async Task<Outcome<ApiKeyCreated>> CreateAsync(ClaimsPrincipal principal, CreateApiKeyRequest body, CancellationToken ct)
    {
        if (ApiKeyRules.Check(body.Name, body.Scopes) is { } fields) return Refusal.Invalid(fields);
        var userId = principal.UserId();
        var max = options.Value.MaxKeysPerAccount;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockAccountAsync(userId, ct)) return Refusal.SessionExpired;
        if (await db.ApiKeys.CountAsync(k => k.UserId == userId, ct) >= max)
            return Refusal.Invalid(new() { ["name"] = [$"This account already has {max} API keys, the most it may hold; revoke one first."] });
        var secret = ApiKeySecret.New();
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = body.Name!.Trim(),
            Scopes = ApiKeyRules.Normalize(body.Scopes!),
            Prefix = ApiKeySecret.Prefix(secret),
            Hash = ApiKeySecret.Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ApiKeyCreated(key.Id, key.Name, key.Scopes, key.Prefix, key.CreatedAt, secret);
    }

    public async Task<List<ApiKeyDto>> ListAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        return await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId).OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyDto(k.Id, k.Name, k.Scopes, k.Prefix, k.CreatedAt, k.LastUsedAt)).ToListAsync(ct);
    }

    /// <summary>False when the caller has no such key (someone else's key is not told apart from none).</summary>
    public async Task<bool> RevokeAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var userId = principal.UserId();
        return await db.ApiKeys.Where(k => k.Id == id && k.UserId == userId).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>
    /// The key a secret names, with its account, or null (unknown or revoked: revoking deletes the row, and a deleted
    /// account takes its keys with it). Records the use when the recorded one is older than the resolution.
    /// </summary>
    public async Task<AuthenticatedKey?> AuthenticateAsync(string secret, CancellationToken ct)
    {
        if (!ApiKeySecret.IsWellFormed(secret)) return null;
        var hash = ApiKeySecret.Hash(secret);
        var found = await db.ApiKeys.AsNoTracking().Where(k => k.Hash == hash)
            .Select(k => new AuthenticatedKey(k.Id, k.UserId, k.User!.Email, k.Scopes, k.LastUsedAt))
            .SingleOrDefaultAsync(ct);
        if (found is null) return null;
        var now = clock.GetUtcNow();
        var staleBefore = now - options.Value.LastUseResolution;
        if (found.LastUsedAt is null || found.LastUsedAt < staleBefore)
            // Conditional, so a burst of requests on one key writes once, whichever of them gets here first.
            await db.ApiKeys.Where(k => k.Id == found.Id && (k.LastUsedAt == null || k.LastUsedAt < staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        return found;
    }

    /// <summary>Whether the key still stands (long-lived requests, like event streams, ask again while open).</summary>
    public Task<bool> StandsAsync(Guid keyId, CancellationToken ct) => db.ApiKeys.AnyAsync(k => k.Id == keyId, ct);
}

public sealed record AuthenticatedKey(Guid Id, Guid UserId, string Email, List<string> Scopes, DateTimeOffset? LastUsedAt);
