using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StreamForge.Api.Infrastructure;
using StreamForge.Core.Data;
using StreamForge.Core.Quota;

namespace StreamForge.Api.Admin;

/// <summary>
/// An administrator's view of the accounts (storage used, effective quota) and their changes of role and quota.
/// Answers are domain results; <see cref="AdminApi"/> makes them HTTP.
/// </summary>
public sealed class AdminUserService(StreamForgeDbContext db, IOptions<QuotaOptions> quota, TimeProvider clock)
{
    public async Task<List<AdminUserDto>> ListAsync(CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new { User = u, Count = u.Videos.Count }).ToListAsync(ct);
        return users.Select(x => ToDto(x.User, x.Count)).ToList();
    }

    public async Task<Outcome<AdminUserDto>> UpdateAsync(Guid id, UpdateUserRequest body, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Role is not null && !Roles.All.Contains(body.Role)) errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        if (body.QuotaBytes is < 0) errors["quotaBytes"] = ["quotaBytes must not be negative."];
        if (errors.Count > 0) return Refusal.Invalid(errors);
        var user = await db.Users.Include(u => u.Videos).SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Refusal.NotFound;
        if (body.Role is not null) user.Role = body.Role;
        if (body.QuotaBytes is not null) user.QuotaBytes = body.QuotaBytes;
        if (body.ClearQuota == true) user.QuotaBytes = null;
        user.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return ToDto(user, user.Videos.Count);
    }

    private AdminUserDto ToDto(User user, int videoCount) => new(
        user.Id, user.Email, user.Role, user.StorageUsedBytes, QuotaPolicy.EffectiveQuota(user, quota.Value), videoCount, user.CreatedAt);
}
